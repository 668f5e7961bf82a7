import { Construct } from 'constructs';
import { throwIfInvalid } from './construction';
import { IssueCollector, ValidationError } from '../errors';
import { MAX_DISKS, guestDiskNames } from '../model/devices';
import { domainName, memoryMiB, oneOf, vcpuCount } from '../model/rules';
import { BootModel, DiskModel, GUEST_TYPES, GuestType, LogicalVolumeModel, SHUTDOWN_ACTIONS, ShutdownAction, VmModel } from '../model/types';
import { Boot } from './boot';
import { LabStack } from './lab-stack';
import { LibvirtHost } from './libvirt-host';
import { DEFAULT_VOLUME_GROUP, LogicalVolumeOptions, logicalVolumeModel } from './logical-volume';
import { InterfaceOptions, Network, NicDraft } from './networks';
import { Volume, VolumeAttachmentOptions } from './volume';

export const DEFAULT_MEMORY_MIB = 1024;
export const DEFAULT_DISK_SIZE = '10G';

/** A VM's interface on a network, as given. */
export interface InterfaceSpec extends InterfaceOptions {
  readonly network: Network;
}

export interface VirtualMachineProps {
  /** Xen domain name, also the name of its cfg files. @default the construct id */
  readonly name?: string;
  /** Guest type: paravirtualised, PVH or fully virtualised. @default "pv" */
  readonly type?: GuestType;
  /** Memory in MiB. @default 1024 */
  readonly memoryMiB?: number;
  /** Virtual CPUs. @default 1 */
  readonly vcpus?: number;
  /** @default Boot.installer(Installer.debian12()) for PV/PVH guests, Boot.hvmDisk() for HVM */
  readonly boot?: Boot;
  /** The guest's first disk, an LVM logical volume. @default 10G on vg0 named "<vm>-disk" */
  readonly rootDisk?: LogicalVolumeOptions;
  /** Network interfaces; more can be added with {@link VirtualMachine.addInterface}. @default none */
  readonly interfaces?: readonly InterfaceSpec[];
  /**
   * The libvirt host the VM runs on. The VM then also becomes a `libvirt_domain` (and its disks
   * volumes in the host's pools). A VM on a KVM host must be HVM and gets no xl.cfg files; a VM on
   * a Xen host gets both. @default none: xl.cfg files and dom0 provisioning only
   */
  readonly host?: LibvirtHost;
  /** @default "destroy" */
  readonly onPoweroff?: ShutdownAction;
  /** @default "restart" */
  readonly onReboot?: ShutdownAction;
  /** @default "destroy" */
  readonly onCrash?: ShutdownAction;
}

/** The shutdown actions libvirt's domain XML accepts (`soft-reset` and coredumps on power-off are xl-only). */
const LIBVIRT_ACTIONS = {
  onPoweroff: ['destroy', 'restart', 'preserve', 'rename-restart'],
  onReboot: ['destroy', 'restart', 'preserve', 'rename-restart'],
  onCrash: ['destroy', 'restart', 'preserve', 'rename-restart', 'coredump-destroy', 'coredump-restart'],
} as const satisfies Record<string, readonly ShutdownAction[]>;

/**
 * A disk of one VM backed by an LVM logical volume on dom0. Created by the VM for its root disk
 * and by {@link VirtualMachine.addDisk}; its LV name defaults to "<vm>-disk", "<vm>-disk1", ….
 */
export class LogicalVolumeDisk extends Construct {
  /** @internal */
  public readonly logicalVolume: LogicalVolumeModel;

  constructor(scope: VirtualMachine, id: string, props: LogicalVolumeOptions = {}) {
    super(scope, id);
    const derivedName = scope.nextDiskName();
    const issues = new IssueCollector(this.node.path);
    const lv = logicalVolumeModel(issues, '', this.node.path, {
      volumeGroup: props.volumeGroup ?? DEFAULT_VOLUME_GROUP,
      name: props.name ?? derivedName,
      size: props.size ?? DEFAULT_DISK_SIZE,
      derivedFrom: props.name === undefined ? `the VM name "${scope.name}"` : undefined,
      preventDestroy: props.preventDestroy,
      host: scope.host?.name,
    }, false);
    throwIfInvalid(this, issues);
    this.logicalVolume = lv!;
    scope.registerDisk(this);
  }

  public get devicePath(): string {
    return this.logicalVolume.devicePath;
  }
}

/**
 * A Xen guest: memory, vCPUs, a boot method, LVM-backed disks, attached volumes and network
 * interfaces. Everything is validated here, at construction, and errors name this construct.
 */
export class VirtualMachine extends Construct {
  public readonly name: string;
  public readonly type: GuestType;
  public readonly memoryMiB: number;
  public readonly vcpus: number;
  public readonly host?: LibvirtHost;
  public readonly rootDisk: LogicalVolumeDisk;
  private readonly bootModel: BootModel;
  private readonly shutdown: { onPoweroff: ShutdownAction; onReboot: ShutdownAction; onCrash: ShutdownAction };
  private readonly disks: LogicalVolumeDisk[] = [];
  private readonly volumes: { volume: Volume; readOnly: boolean }[] = [];
  private readonly nics: NicDraft[] = [];
  private readonly networks: Network[] = [];

  constructor(scope: Construct, id: string, props: VirtualMachineProps = {}) {
    super(scope, id);
    LabStack.of(this).assertOpen(this.node.path, 'add a VM');
    this.name = props.name ?? id;
    this.type = props.type ?? 'pv';
    this.memoryMiB = props.memoryMiB ?? DEFAULT_MEMORY_MIB;
    this.vcpus = props.vcpus ?? 1;
    this.host = props.host;
    this.shutdown = {
      onPoweroff: props.onPoweroff ?? 'destroy',
      onReboot: props.onReboot ?? 'restart',
      onCrash: props.onCrash ?? 'destroy',
    };

    // Every prop is checked before anything is built, so one error message lists all problems.
    const issues = new IssueCollector(this.node.path);
    const nameOk = issues.apply('name', this.name, domainName);
    const typeOk = issues.apply('type', this.type, oneOf(GUEST_TYPES));
    issues.apply('memoryMiB', this.memoryMiB, memoryMiB);
    issues.apply('vcpus', this.vcpus, vcpuCount);
    for (const [field, action] of Object.entries(this.shutdown)) {
      const allowed = this.host ? LIBVIRT_ACTIONS[field as keyof typeof LIBVIRT_ACTIONS] : SHUTDOWN_ACTIONS;
      issues.apply(field, action, (value) => oneOf(allowed)(value) && `${oneOf(allowed)(value)}${this.host ? ' (what libvirt supports)' : ''}`);
    }
    if (this.host?.hypervisor === 'kvm') {
      issues.check(this.type === 'hvm', 'type', this.type, `must be "hvm" on a KVM host (${this.host.node.path}): KVM runs only fully virtualised guests`);
    }
    const boot = typeOk ? (props.boot ?? Boot.defaultFor(this.type)).toModel(issues, 'boot', this.type) : undefined;
    if (nameOk) {
      const root = props.rootDisk ?? {};
      logicalVolumeModel(issues, 'rootDisk', this.node.path, {
        volumeGroup: root.volumeGroup ?? DEFAULT_VOLUME_GROUP,
        name: root.name ?? this.nextDiskName(),
        size: root.size ?? DEFAULT_DISK_SIZE,
        derivedFrom: root.name === undefined ? `the VM name "${this.name}"` : undefined,
        preventDestroy: root.preventDestroy,
      }, false);
    }
    const nics = (props.interfaces ?? []).map((spec, i) => spec.network.nicFor(issues, `interfaces[${i}]`, spec, this.getsXlConfig));
    throwIfInvalid(this, issues);
    this.bootModel = boot!;

    this.rootDisk = new LogicalVolumeDisk(this, 'RootDisk', props.rootDisk);
    nics.forEach((nic, i) => {
      this.nics.push(nic!);
      this.networks.push(props.interfaces![i].network);
    });
  }

  /** Adds another LVM-backed disk; its LV is named "<vm>-disk<N>" unless given a name. */
  public addDisk(options: LogicalVolumeOptions = {}): LogicalVolumeDisk {
    LabStack.of(this).assertOpen(this.node.path, 'add a disk');
    return new LogicalVolumeDisk(this, `Disk${this.disks.length}`, options);
  }

  /** Connects the VM to a network. Routed and NAT networks need a static `ip`. */
  public addInterface(network: Network, options: InterfaceOptions = {}): void {
    LabStack.of(this).assertOpen(this.node.path, 'add an interface');
    const issues = new IssueCollector(this.node.path);
    const field = `interfaces[${this.nics.length}]`;
    const nic = network.nicFor(issues, field, options, this.getsXlConfig);
    issues.throwIfAny();
    this.nics.push(nic!);
    this.networks.push(network);
  }

  /** Attaches a shared {@link Volume}, read-write unless `readOnly`. */
  public attachVolume(volume: Volume, options: VolumeAttachmentOptions = {}): void {
    LabStack.of(this).assertOpen(this.node.path, 'attach a volume');
    const readOnly = options.readOnly ?? false;
    const issues = new IssueCollector(this.node.path);
    const field = `volumes[${this.volumes.length}]`;
    issues.check(typeof readOnly === 'boolean', `${field}.readOnly`, options.readOnly, 'must be true or false');
    issues.check(this.disks.length + this.volumes.length < MAX_DISKS, field, volume.node.path, `a VM has at most ${MAX_DISKS} disks`);
    issues.throwIfAny();
    volume.recordAttachment(issues, field, this.node.path, readOnly, this.host?.name, this.getsXlConfig);
    issues.throwIfAny();
    this.volumes.push({ volume, readOnly });
  }

  /** Whether the VM gets xl.cfg files: it has no libvirt host, or a Xen one. */
  public get getsXlConfig(): boolean {
    return this.host === undefined || this.host.hypervisor === 'xen';
  }

  /** Networks this VM has interfaces on, in interface order. */
  public get attachedNetworks(): readonly Network[] {
    return this.networks;
  }

  /** @internal The LV name the next disk gets by default. */
  public nextDiskName(): string {
    return this.disks.length === 0 ? `${this.name}-disk` : `${this.name}-disk${this.disks.length}`;
  }

  /** @internal Called by LogicalVolumeDisk's constructor. */
  public registerDisk(disk: LogicalVolumeDisk): void {
    if (this.disks.length + this.volumes.length >= MAX_DISKS) {
      throw new ValidationError([{ path: disk.node.path, field: 'disks', value: this.disks.length + 1, rule: `a VM has at most ${MAX_DISKS} disks` }]);
    }
    this.disks.push(disk);
  }

  /** @internal Logical volumes this VM owns (not shared volumes). */
  public ownedLogicalVolumes(): LogicalVolumeModel[] {
    return this.disks.map((disk) => disk.logicalVolume);
  }

  /** @internal The VM's model; NICs without a given MAC get one from the lab. */
  public toDraft(): Omit<VmModel, 'nics'> & { readonly nics: readonly NicDraft[] } {
    const targets: Omit<DiskModel, 'vdev' | 'kind'>[] = [
      ...this.disks.map((disk) => ({ target: disk.devicePath, access: 'rw' as const })),
      ...this.volumes.map(({ volume, readOnly }) => ({
        target: volume.devicePath, access: readOnly ? 'ro' as const : 'rw' as const, ...(volume.shareable ? { shareable: true as const } : {}),
      })),
    ];
    const vdevs = guestDiskNames(this.type, targets.length);
    const disks: DiskModel[] = targets.map((t, i) => ({ ...t, vdev: vdevs[i], kind: 'disk' }));
    return {
      path: this.node.path,
      name: this.name,
      host: this.host?.name,
      type: this.type,
      memoryMiB: this.memoryMiB,
      vcpus: this.vcpus,
      ...this.shutdown,
      boot: this.bootModel,
      disks,
      nics: this.nics,
    };
  }
}
