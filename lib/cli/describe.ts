import { LabModel, VmModel } from '../model/types';

/** Human-readable summary of a lab for `virtlab list`. */
export function describeLab(lab: LabModel, description?: string): string {
  const lines = [`${lab.stackName}${description ? ` - ${description}` : ''}`];
  if (lab.hosts.length) {
    lines.push('  libvirt hosts:');
    for (const h of lab.hosts) lines.push(`    ${h.name}: ${h.hypervisor}, ${h.uri}${h.alias ? ` (provider alias ${h.alias})` : ''}`);
  }
  lines.push('  VMs:');
  for (const vm of lab.vms) lines.push(`    ${describeVm(vm)}`);
  if (lab.networks.length) {
    lines.push('  networks:');
    for (const n of lab.networks) {
      const where = n.kind === 'bridged' ? `bridge ${n.bridge} on ${n.hostInterface}` : n.kind === 'routed' ? `gatewaydev ${n.hostInterface}` : `masquerading through ${n.hostInterface}`;
      lines.push(`    ${n.name}: ${n.kind}, ${where}${n.subnet ? `, ${n.subnet}` : ''}`);
    }
  }
  const shared = lab.logicalVolumes.filter((lv) => lv.shared);
  if (shared.length) {
    lines.push('  volumes:');
    for (const lv of shared) {
      const users = lab.vms.flatMap((vm) => vm.disks.filter((d) => d.target === lv.devicePath).map((d) => `${vm.name} (${d.access})`));
      lines.push(`    ${lv.name}: ${lv.devicePath}, ${lv.size}, attached to ${users.length ? users.join(', ') : 'no VM'}`);
    }
  }
  return `${lines.join('\n')}\n`;
}

function describeVm(vm: VmModel): string {
  const boot = vm.boot.kind === 'installer' ? `installer ${vm.boot.installer.name}, then pygrub`
    : vm.boot.kind === 'hvm-iso' ? `ISO ${vm.boot.iso}, then disk`
      : vm.boot.kind === 'hvm-disk' ? 'disk' : 'pygrub';
  const disks = vm.disks.map((d) => `${d.vdev}=${d.target}${d.access === 'ro' ? ' (ro)' : ''}`).join(', ');
  const nics = vm.nics.map((n) => `${n.network} ${n.mac}${n.ip ? ` ${n.ip}` : ''}`).join(', ');
  return `${vm.name}: ${vm.type}${vm.host ? ` on ${vm.host}` : ''}, ${vm.memoryMiB} MiB, ${vm.vcpus} vCPU; boot: ${boot}; disks: ${disks}${nics ? `; nics: ${nics}` : ''}`;
}
