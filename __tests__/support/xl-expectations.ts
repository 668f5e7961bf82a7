import { VmModel } from '../../lib';
import { XlParsedDomain } from './xl-toolstack';

/** libxl's JSON names for xl.cfg's shutdown actions; "destroy" is libxl's default and is omitted. */
const LIBXL_ACTION: Record<string, string | undefined> = {
  destroy: undefined, restart: 'restart', 'rename-restart': 'restart_rename', preserve: 'preserve',
  'coredump-destroy': 'coredump_destroy', 'coredump-restart': 'coredump_restart', 'soft-reset': 'soft_reset',
};

/** What libxl must have parsed from a VM's cfg, computed from the model alone. */
export function expectedDomain(vm: VmModel, phase: 'install' | 'final'): XlParsedDomain {
  const install = phase === 'install';
  const disks = vm.disks.map((d) => ({ pdev_path: d.target, vdev: d.vdev, format: 'raw', ...(d.access === 'rw' ? { readwrite: 1 } : {}) }));
  if (install && vm.boot.kind === 'hvm-iso') {
    disks.push({ pdev_path: vm.boot.iso, vdev: 'hdc', format: 'raw', removable: 1, is_cdrom: 1 } as never);
  }
  const b_info: XlParsedDomain['b_info'] = { max_vcpus: vm.vcpus, max_memkb: vm.memoryMiB * 1024, target_memkb: vm.memoryMiB * 1024 };
  if (vm.boot.kind === 'installer' && install) {
    Object.assign(b_info, { kernel: vm.boot.installer.kernel.path, cmdline: vm.boot.installer.extra });
    if (vm.boot.installer.ramdisk) b_info.ramdisk = vm.boot.installer.ramdisk.path;
  } else if (vm.boot.kind === 'installer' || vm.boot.kind === 'pygrub') {
    b_info.bootloader = 'pygrub';
  } else {
    b_info['type.hvm'] = { boot: install ? 'dc' : 'c' };
  }
  const actions = { on_poweroff: LIBXL_ACTION[vm.onPoweroff], on_reboot: LIBXL_ACTION[install ? 'destroy' : vm.onReboot], on_crash: LIBXL_ACTION[vm.onCrash] };
  return {
    c_info: { type: vm.type, name: vm.name },
    b_info,
    disks,
    nics: vm.nics.map((nic, devid) => {
      const parsed: Record<string, unknown> = { devid, mac: nic.mac, bridge: nic.bridge, ip: nic.ip, script: nic.script, gatewaydev: nic.gatewayDevice };
      return Object.fromEntries(Object.entries(parsed).filter(([, v]) => v !== undefined)) as never;
    }),
    ...Object.fromEntries(Object.entries(actions).filter(([, v]) => v !== undefined)),
  };
}

/** The fields of libxl's view that the model determines (the rest is libxl's own defaults). */
export function modelledPart(domain: XlParsedDomain): XlParsedDomain {
  const { kernel, ramdisk, cmdline, bootloader, max_vcpus, max_memkb, target_memkb } = domain.b_info;
  const b_info = Object.fromEntries(Object.entries({ kernel, ramdisk, cmdline, bootloader, max_vcpus, max_memkb, target_memkb }).filter(([, v]) => v !== undefined));
  const hvm = domain.b_info['type.hvm'];
  return {
    c_info: { type: domain.c_info.type, name: domain.c_info.name },
    b_info: { ...b_info, ...(hvm ? { 'type.hvm': { boot: hvm.boot } } : {}) } as XlParsedDomain['b_info'],
    disks: domain.disks ?? [],
    nics: domain.nics ?? [],
    ...Object.fromEntries((['on_poweroff', 'on_reboot', 'on_crash'] as const).filter((k) => domain[k] !== undefined).map((k) => [k, domain[k]])),
  };
}

