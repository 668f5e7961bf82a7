import { Construct } from 'constructs';
import { throwIfInvalid } from './construction';
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
   * Allow more than one VM on a KVM host to attach the volume read-write (libvirt
   * `<shareable/>`). Only safe with a cluster file system (OCFS2, GFS2) in the guests; xl never
   * shares a device one guest writes. @default false
   */
  readonly shareable?: boolean;
  /**
   * Have Terraform refuse to destroy the volume (`lifecycle.prevent_destroy`) on libvirt hosts.
   * Opt out explicitly to let `terraform destroy` remove its data.
   * @default true
   */
  readonly preventDestroy?: boolean;
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
  /** The VM runs under xl (it gets an xl.cfg), whose block script guards device sharing. */
  readonly xl: boolean;
  /** The libvirt host of the VM, if it has one. */
  readonly host?: string;
}

/**
 * Extra storage not tied to one guest: an LVM logical volume that outlives the VMs using it and
 * can be attached to several (read-only, or read-write when {@link VolumeProps.shareable}).
 */
export class Volume extends Construct {
  public readonly name: string;
  public readonly shareable: boolean;
  private readonly logicalVolume: LogicalVolumeModel;
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
      preventDestroy: props.preventDestroy,
    }, true);
    issues.check(typeof this.shareable === 'boolean', 'shareable', props.shareable, 'must be true or false');
    throwIfInvalid(this, issues);
    this.logicalVolume = lv!;
  }

  /** `/dev/<vg>/<lv>` on the host. */
  public get devicePath(): string {
    return this.logicalVolume.devicePath;
  }

  /** @internal The volume's model; it lives on the host of the VMs attaching it. */
  public toModel(): LogicalVolumeModel {
    return { ...this.logicalVolume, host: this.attachedTo[0]?.host };
  }

  /** The VMs this volume is attached to, in attachment order. */
  public get attachments(): readonly VolumeAttachment[] {
    return this.attachedTo;
  }

  /**
   * @internal Records that a VM attaches this volume; use `VirtualMachine.attachVolume`.
   * Refuses a second attachment to the same VM, a second read-write one unless shareable, and
   * VMs on different hosts (a logical volume lives on one machine).
   */
  public recordAttachment(issues: IssueCollector, field: string, vmPath: string, readOnly: boolean, host: string | undefined, xl: boolean): boolean {
    if (!issues.check(!this.attachedTo.some((a) => a.vmPath === vmPath), field, this.node.path,
      'a volume can be attached to a VM only once')) {
      return false;
    }
    const first = this.attachedTo[0];
    if (first && first.host !== host && !issues.check(false, field, this.node.path,
      `is on ${first.host ? `libvirt host ${first.host}` : 'dom0 (no libvirt host)'} with ${first.vmPath}, and this VM is on ${host ? `libvirt host ${host}` : 'dom0 (no libvirt host)'}; a volume lives on one machine`)) {
      return false;
    }
    // Xen's block hotplug script refuses a device that another guest writes, and a second writer:
    // under xl a volume is read-only for all its guests, or belongs to one guest alone.
    const xlConflict = xl && this.attachedTo.find((a) => a.xl && (!readOnly || !a.readOnly));
    if (xlConflict && !issues.check(false, field, this.node.path,
      `is already attached to ${xlConflict.vmPath}${xlConflict.readOnly ? ' read-only' : ' read-write'}; under xl a volume shared by several guests must be read-only in all of them (Xen's block script refuses to share a device one guest writes${this.shareable ? ', shareable or not' : ''})`)) {
      return false;
    }
    const writer = this.attachedTo.find((a) => !a.readOnly);
    if (!readOnly && writer && !issues.check(this.shareable, field, this.node.path,
      `is already attached read-write to ${writer.vmPath}; attach it read-only, or mark the volume shareable (only safe with a cluster file system)`)) {
      return false;
    }
    this.attachedTo.push({ vmPath, readOnly, host, xl });
    return true;
  }
}
