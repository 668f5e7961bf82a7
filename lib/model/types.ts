/**
 * The plain, validated model of a lab that renderers consume. Constructs build it; nothing here
 * knows about constructs, cdktf or files, so renderers can be tested (and later fed from lab
 * files) without a construct tree.
 */

export type GuestType = 'pv' | 'pvh' | 'hvm';
export const GUEST_TYPES: readonly GuestType[] = ['pv', 'pvh', 'hvm'];

/** What Xen does when a guest powers off, reboots or crashes (xl.cfg `on_poweroff` etc.). */
export type ShutdownAction =
  | 'destroy' | 'restart' | 'rename-restart' | 'preserve'
  | 'coredump-destroy' | 'coredump-restart' | 'soft-reset';
export const SHUTDOWN_ACTIONS: readonly ShutdownAction[] = [
  'destroy', 'restart', 'rename-restart', 'preserve', 'coredump-destroy', 'coredump-restart', 'soft-reset',
];

/** The hypervisor a libvirt host runs. */
export type Hypervisor = 'kvm' | 'xen';
export const HYPERVISORS: readonly Hypervisor[] = ['kvm', 'xen'];

/** A libvirt host: one provider configuration in the stack's Terraform. */
export interface HostModel {
  readonly path: string;
  readonly name: string;
  readonly uri: string;
  readonly hypervisor: Hypervisor;
  /** Provider alias; the first host of a stack is the default provider and has none. */
  readonly alias?: string;
}

export interface LogicalVolumeModel {
  /** Path of the construct that owns the volume (a VM's disk or a shared volume). */
  readonly owner: string;
  readonly volumeGroup: string;
  readonly name: string;
  /** lvcreate size, e.g. `10G`. */
  readonly size: string;
  readonly sizeBytes: number;
  /** `/dev/<vg>/<lv>`. */
  readonly devicePath: string;
  /** True for volumes that hold data beyond one guest (a shared `Volume`). */
  readonly shared: boolean;
  /** Terraform refuses to destroy the volume (`lifecycle.prevent_destroy`). */
  readonly preventDestroy: boolean;
  /** The libvirt host whose pool holds the volume; none for volumes only dom0 provisioning creates. */
  readonly host?: string;
}

export interface DiskModel {
  /** Guest device name, e.g. `xvda` or `hdc`. */
  readonly vdev: string;
  /** Block device or image path on dom0. */
  readonly target: string;
  readonly access: 'rw' | 'ro';
  readonly kind: 'disk' | 'cdrom';
  /** A shareable volume that several guests may write (libvirt `<shareable/>`). */
  readonly shareable?: true;
}

export type NetworkKind = 'bridged' | 'routed' | 'nat';

export interface NetworkModel {
  readonly path: string;
  readonly name: string;
  readonly kind: NetworkKind;
  /** Bridged: the dom0 bridge guests join. */
  readonly bridge?: string;
  /** Dom0 uplink: the bridge port (bridged), gatewaydev (routed) or masquerading interface (NAT). */
  readonly hostInterface: string;
  /** Guest subnet in CIDR notation; required for routed and NAT networks. */
  readonly subnet?: string;
  /** Bridged: how dom0 configures the bridge's own address. */
  readonly bridgeAddressing?: 'dhcp' | 'manual';
  /** Routed and NAT: the host's own address on the subnet, used by libvirt networks. */
  readonly gateway?: string;
  /** Routed and NAT: addresses libvirt's DHCP server hands out to guests without a static entry. */
  readonly dhcpRange?: { readonly start: string; readonly end: string };
}

export interface NicModel {
  readonly network: string;
  readonly networkKind: NetworkKind;
  readonly mac: string;
  readonly ip?: string;
  /** The hotplug script xl runs for the vif: vif-bridge, vif-route or vif-nat. */
  readonly script: 'vif-bridge' | 'vif-route' | 'vif-nat';
  readonly bridge?: string;
  readonly gatewayDevice?: string;
}

export interface InstallerFileModel {
  /** Where xl finds the file on dom0. */
  readonly path: string;
  /** Where provisioning downloads it from, if it is not already on dom0. */
  readonly url?: string;
}

export interface InstallerModel {
  readonly name: string;
  readonly description: string;
  readonly kernel: InstallerFileModel;
  readonly ramdisk?: InstallerFileModel;
  readonly extra: string;
}

/**
 * How a guest boots. An installer (PV/PVH) or an installation ISO (HVM) adds an install phase:
 * virtlab then writes `<vm>.install.cfg` for the first boot and `<vm>.cfg` for every boot after.
 */
export type BootModel =
  | { readonly kind: 'installer'; readonly installer: InstallerModel }
  | { readonly kind: 'pygrub' }
  | { readonly kind: 'hvm-disk' }
  | { readonly kind: 'hvm-iso'; readonly iso: string };

export interface VmModel {
  readonly path: string;
  readonly name: string;
  /** The libvirt host the VM is placed on; none for a VM that only gets xl.cfg files. */
  readonly host?: string;
  readonly type: GuestType;
  readonly memoryMiB: number;
  readonly vcpus: number;
  readonly onPoweroff: ShutdownAction;
  readonly onReboot: ShutdownAction;
  readonly onCrash: ShutdownAction;
  readonly boot: BootModel;
  /** Disks in guest order (root disk first, then added disks, then attached volumes). */
  readonly disks: readonly DiskModel[];
  readonly nics: readonly NicModel[];
}

export interface LabModel {
  readonly stackName: string;
  readonly hosts: readonly HostModel[];
  readonly vms: readonly VmModel[];
  readonly networks: readonly NetworkModel[];
  /** Every logical volume the lab needs, in creation order. */
  readonly logicalVolumes: readonly LogicalVolumeModel[];
}
