import { LabModel } from '../model/types';
import { renderDom0Files } from './dom0';
import { GeneratedFile, renderXlConfigs } from './xl-config';

/**
 * The part of a lab that xl runs: VMs without a libvirt host or on a Xen one (a VM on a Xen host
 * gets both its xl.cfg and its libvirt_domain; one on a KVM host only the domain), with the
 * networks and logical volumes they use.
 */
export function xlPart(lab: LabModel): LabModel {
  const kvmHosts = new Set(lab.hosts.filter((h) => h.hypervisor === 'kvm').map((h) => h.name));
  const vms = lab.vms.filter((vm) => vm.host === undefined || !kvmHosts.has(vm.host));
  const networks = new Set(vms.flatMap((vm) => vm.nics.map((nic) => nic.network)));
  const targets = new Set(vms.flatMap((vm) => vm.disks.map((disk) => disk.target)));
  return {
    ...lab,
    vms,
    networks: lab.networks.filter((n) => networks.has(n.name)),
    logicalVolumes: lab.logicalVolumes.filter((lv) => targets.has(lv.devicePath)),
  };
}

/**
 * Every Xen file of a lab, relative to the stack's `xen/` directory, in a stable order; none when
 * no VM runs under xl.
 */
export function renderXenFiles(lab: LabModel): GeneratedFile[] {
  const xl = xlPart(lab);
  if (xl.vms.length === 0) return [];
  return [...xl.vms.flatMap((vm) => renderXlConfigs(vm, xl.stackName)), ...renderDom0Files(xl)];
}
