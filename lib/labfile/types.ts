import { CatalogInstallerName } from '../constructs/installer';
import { GuestType, Hypervisor, ShutdownAction } from '../model/types';

/** A lab file after schema validation (see schema.ts, which is the authority on its shape). */
export interface LabDocument {
  readonly name: string;
  readonly description?: string;
  readonly stateFile?: string;
  readonly hosts?: Record<string, { readonly hypervisor?: Hypervisor; readonly uri?: string }>;
  readonly networks?: Record<string, NetworkDocument>;
  readonly volumes?: Record<string, {
    readonly name?: string; readonly volumeGroup?: string; readonly size: string; readonly shareable?: boolean; readonly preventDestroy?: boolean;
  }>;
  readonly vms?: Record<string, VmDocument>;
}

export interface DhcpDocument {
  readonly start: string;
  readonly end: string;
}

export type NetworkDocument =
  | { readonly kind: 'bridged'; readonly name?: string; readonly bridge?: string; readonly hostInterface?: string; readonly bridgeAddressing?: 'dhcp' | 'manual'; readonly subnet?: string }
  | { readonly kind: 'routed'; readonly name?: string; readonly subnet: string; readonly gatewayDevice?: string; readonly gateway?: string; readonly dhcp?: DhcpDocument }
  | { readonly kind: 'nat'; readonly name?: string; readonly subnet: string; readonly outboundInterface?: string; readonly gateway?: string; readonly dhcp?: DhcpDocument };

export interface LogicalVolumeDocument {
  readonly volumeGroup?: string;
  readonly name?: string;
  readonly size?: string;
  readonly preventDestroy?: boolean;
}

export type InstallerDocument =
  | CatalogInstallerName
  | { readonly catalog: CatalogInstallerName; readonly mirror?: string; readonly extra?: string; readonly imageDirectory?: string }
  | { readonly name: string; readonly kernel: string; readonly ramdisk?: string; readonly extra?: string; readonly description?: string; readonly imageDirectory?: string };

export type BootDocument = 'pygrub' | 'disk' | { readonly installer: InstallerDocument } | { readonly iso: string };

export interface VmDocument {
  readonly name?: string;
  readonly type?: GuestType;
  readonly memoryMiB?: number;
  readonly vcpus?: number;
  readonly host?: string;
  readonly boot?: BootDocument;
  readonly rootDisk?: LogicalVolumeDocument;
  readonly disks?: readonly LogicalVolumeDocument[];
  readonly interfaces?: ReadonlyArray<{ readonly network: string; readonly ip?: string; readonly mac?: string }>;
  readonly volumes?: ReadonlyArray<{ readonly volume: string; readonly readOnly?: boolean }>;
  readonly onPoweroff?: ShutdownAction;
  readonly onReboot?: ShutdownAction;
  readonly onCrash?: ShutdownAction;
}
