import { Construct } from 'constructs';
import { IssueCollector } from '../errors';
import { LogicalVolumeModel } from '../model/types';
import { DEFAULT_VOLUME_GROUP, logicalVolumeModel } from './logical-volume';

export interface VolumeProps {
  /** Logical volume name. @default the construct id */
  readonly name?: string;
  /** LVM volume group on dom0. @default "vg0" */
  readonly volumeGroup?: string;
  /** Size with a binary unit, e.g. "20G". */
  readonly size: string;
  /**
   * Allow more than one VM to attach the volume read-write. Only safe with a cluster file
   * system (OCFS2, GFS2) in the guests. @default false
   */
  readonly shareable?: boolean;
}

/** How a VM uses a volume. */
export interface VolumeAttachmentOptions {
  /** Attach read-only. @default false */
  readonly readOnly?: boolean;
}

/** A VM's use of a volume. */
export interface VolumeAttachment {
  readonly vmPath: string;
  readonly readOnly: boolean;
}

/**
 * Extra storage not tied to one guest: an LVM logical volume that outlives the VMs using it and
 * can be attached to several (read-only, or read-write when {@link VolumeProps.shareable}).
 */
export class Volume extends Construct {
  public readonly name: string;
  public readonly shareable: boolean;
  /** @internal */
  public readonly logicalVolume: LogicalVolumeModel;
  private readonly attachedTo: VolumeAttachment[] = [];

  constructor(scope: Construct, id: string, props: VolumeProps) {
    super(scope, id);
    this.name = props.name ?? id;
    this.shareable = props.shareable ?? false;
    const issues = new IssueCollector(this.node.path);
    const lv = logicalVolumeModel(issues, '', this.node.path, {
      volumeGroup: props.volumeGroup ?? DEFAULT_VOLUME_GROUP,
      name: this.name,
      size: props.size,
      derivedFrom: props.name === undefined ? `the construct id "${id}"` : undefined,
    }, true);
    issues.check(typeof this.shareable === 'boolean', 'shareable', props.shareable, 'must be true or false');
    issues.throwIfAny();
    this.logicalVolume = lv!;
  }

  /** The VMs this volume is attached to, in attachment order. */
  public get attachments(): readonly VolumeAttachment[] {
    return this.attachedTo;
  }

  /**
   * @internal Records that a VM attaches this volume; use `VirtualMachine.attachVolume`.
   * Refuses a second attachment to the same VM and a second read-write one unless shareable.
   */
  public recordAttachment(issues: IssueCollector, field: string, vmPath: string, readOnly: boolean): boolean {
    if (!issues.check(!this.attachedTo.some((a) => a.vmPath === vmPath), field, this.node.path,
      'a volume can be attached to a VM only once')) {
      return false;
    }
    const writer = this.attachedTo.find((a) => !a.readOnly);
    if (!readOnly && writer && !issues.check(this.shareable, field, this.node.path,
      `is already attached read-write to ${writer.vmPath}; attach it read-only, or mark the volume shareable (only safe with a cluster file system)`)) {
      return false;
    }
    this.attachedTo.push({ vmPath, readOnly });
    return true;
  }
}
