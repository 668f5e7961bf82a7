import { DiskModel, NicModel, VmModel } from '../model/types';
import { HVM_CDROM_VDEV } from '../model/devices';
import { renderTemplate } from './templates';
import { diskSpec, vifSpec } from './xl-syntax';

/** A file virtlab writes, relative to the stack's `xen/` directory. */
export interface GeneratedFile {
  readonly path: string;
  readonly content: string;
  /** File mode; 0o644 unless it is a script. */
  readonly mode: number;
}

export function configFileName(vm: VmModel): string {
  return `${vm.name}.cfg`;
}

/** The install-phase file, for VMs that boot an installer or an ISO first. */
export function installConfigFileName(vm: VmModel): string | undefined {
  return vm.boot.kind === 'installer' || vm.boot.kind === 'hvm-iso' ? `${vm.name}.install.cfg` : undefined;
}

interface XlConfigView {
  fileName: string;
  purpose: string;
  vmPath: string;
  stackName: string;
  notes: string[];
  name: string;
  type: string;
  memory: number;
  vcpus: number;
  kernel: string | null;
  ramdisk: string | null;
  extra: string | null;
  bootloader: string | null;
  boot: string | null;
  onPoweroff: string;
  onReboot: string;
  onCrash: string;
  disks: string[];
  vifs: string[];
}

/**
 * The xl.cfg files of one VM. An installer-booted guest gets two: `<vm>.install.cfg` boots the
 * installer kernel and is destroyed when the installer reboots, and `<vm>.cfg` boots the installed
 * system with pygrub. The final file carries no kernel, ramdisk or extra: libxl would hand them to
 * pygrub, which would then ignore the installed system's own kernel.
 */
export function renderXlConfigs(vm: VmModel, stackName: string): GeneratedFile[] {
  const base = {
    vmPath: vm.path, stackName, name: vm.name, type: vm.type, memory: vm.memoryMiB, vcpus: vm.vcpus,
    kernel: null, ramdisk: null, extra: null, bootloader: null, boot: null,
    onPoweroff: vm.onPoweroff, onReboot: vm.onReboot, onCrash: vm.onCrash,
    disks: vm.disks.map(diskEntry), vifs: vm.nics.map(vifEntry),
  };
  const final = configFileName(vm);
  const install = installConfigFileName(vm);
  const files: XlConfigView[] = [];
  const boot = vm.boot;
  switch (boot.kind) {
    case 'installer': {
      const { installer } = boot;
      files.push({
        ...base, fileName: install!, purpose: `first boot of ${vm.name}: ${installer.description}`,
        notes: [`When the installer finishes the guest is destroyed; from then on: xl create ${final}`],
        kernel: installer.kernel.path, ramdisk: installer.ramdisk?.path ?? null, extra: installer.extra, onReboot: 'destroy',
      });
      files.push({ ...base, fileName: final, purpose: `${vm.name}, booting the installed system with pygrub`, notes: [], bootloader: 'pygrub' });
      break;
    }
    case 'pygrub':
      files.push({ ...base, fileName: final, purpose: `${vm.name}, booting its disk with pygrub`, notes: [], bootloader: 'pygrub' });
      break;
    case 'hvm-iso': {
      const cdrom = diskEntry({ vdev: HVM_CDROM_VDEV, target: boot.iso, access: 'ro', kind: 'cdrom' });
      files.push({
        ...base, fileName: install!, purpose: `first boot of ${vm.name}, installing from ${boot.iso}`,
        notes: [`The guest is destroyed when the installer reboots; from then on: xl create ${final}`],
        boot: 'dc', onReboot: 'destroy', disks: [...base.disks, cdrom],
      });
      files.push({ ...base, fileName: final, purpose: `${vm.name}, booting from its disk`, notes: [], boot: 'c' });
      break;
    }
    case 'hvm-disk':
      files.push({ ...base, fileName: final, purpose: `${vm.name}, booting from its disk`, notes: [], boot: 'c' });
      break;
  }
  return files.map((view) => ({ path: view.fileName, content: renderTemplate('xl.cfg', view), mode: 0o644 }));
}

function diskEntry(disk: DiskModel): string {
  return diskSpec({ vdev: disk.vdev, access: disk.access, cdrom: disk.kind === 'cdrom', target: disk.target });
}

function vifEntry(nic: NicModel): string {
  return vifSpec([
    ['mac', nic.mac],
    ['bridge', nic.bridge],
    ['ip', nic.ip],
    ['script', nic.script],
    ['gatewaydev', nic.gatewayDevice],
  ]);
}
