import { IssueCollector } from '../errors';
import { logicalVolumeName, volumeGroupName } from '../model/rules';
import { diskSizeRule, parseSize } from '../model/size';
import { LogicalVolumeModel } from '../model/types';

/** Where an LVM logical volume lives and how big it is. */
export interface LogicalVolumeOptions {
  /** LVM volume group on dom0. @default "vg0" */
  readonly volumeGroup?: string;
  /** Logical volume name. @default derived from the owner's name */
  readonly name?: string;
  /** Size with a binary unit, as `lvcreate --size` takes it (e.g. "10G", "512M"). */
  readonly size?: string;
  /**
   * Have Terraform refuse to destroy the volume (`lifecycle.prevent_destroy`) on libvirt hosts:
   * it holds a guest's data. Set to false to allow `terraform destroy` to remove it.
   * @default true
   */
  readonly preventDestroy?: boolean;
}

export const DEFAULT_VOLUME_GROUP = 'vg0';

/**
 * Validates a logical volume's group, name and size (recording issues under `field`) and maps
 * it to the model. `derivedFrom` explains a default name in errors, since the user never typed it.
 */
export function logicalVolumeModel(
  issues: IssueCollector, field: string, owner: string,
  options: { volumeGroup: string; name: string; size: unknown; derivedFrom?: string; preventDestroy?: boolean; host?: string },
  shared: boolean,
): LogicalVolumeModel | undefined {
  const prefix = field ? `${field}.` : '';
  const nameRule = options.derivedFrom
    ? (value: unknown) => {
      const broken = logicalVolumeName(value);
      return broken && `${broken} (the name is derived from ${options.derivedFrom}; set \`name\` explicitly)`;
    }
    : logicalVolumeName;
  const ok = [
    issues.apply(`${prefix}volumeGroup`, options.volumeGroup, volumeGroupName),
    issues.apply(`${prefix}name`, options.name, nameRule),
    issues.apply(`${prefix}size`, options.size, diskSizeRule),
    issues.check(options.preventDestroy === undefined || typeof options.preventDestroy === 'boolean',
      `${prefix}preventDestroy`, options.preventDestroy, 'must be true or false'),
  ].every(Boolean);
  if (!ok) return undefined;
  const size = parseSize(options.size)!;
  return {
    owner,
    volumeGroup: options.volumeGroup,
    name: options.name,
    size: size.text,
    sizeBytes: size.bytes,
    devicePath: `/dev/${options.volumeGroup}/${options.name}`,
    shared,
    preventDestroy: options.preventDestroy ?? true,
    host: options.host,
  };
}
