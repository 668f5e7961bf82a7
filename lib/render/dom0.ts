import { LabModel, NetworkModel } from '../model/types';
import { renderTemplate } from './templates';
import { GeneratedFile, configFileName, installConfigFileName } from './xl-config';

/**
 * What dom0 needs to run a lab's guests: a provisioning script, the bridge stanzas of bridged
 * networks, forwarding settings for routed and NAT networks, and xl.conf defaults.
 */
export function renderDom0Files(lab: LabModel): GeneratedFile[] {
  const bridges = uniqueBy(lab.networks.filter((n) => n.kind === 'bridged'), (n) => n.bridge!);
  const routed = lab.networks.filter((n) => n.kind === 'routed');
  const nat = lab.networks.filter((n) => n.kind === 'nat');
  const forwarding = routed.length + nat.length > 0;
  const interfacesName = `virtlab-${lab.stackName}`;
  const sysctlName = `90-virtlab-${lab.stackName}.conf`;
  const files: GeneratedFile[] = [];

  const downloads = new Map<string, string>();
  for (const vm of lab.vms) {
    if (vm.boot.kind !== 'installer') continue;
    for (const file of [vm.boot.installer.kernel, vm.boot.installer.ramdisk]) {
      if (file?.url) downloads.set(file.path, file.url);
    }
  }

  files.push({
    path: 'dom0/provision.sh',
    mode: 0o755,
    content: renderTemplate('provision.sh', {
      stackName: lab.stackName,
      vmList: lab.vms.map((vm) => vm.name).join(' '),
      logicalVolumes: lab.logicalVolumes.map((lv) => ({ volumeGroup: lv.volumeGroup, name: lv.name, size: lv.size })),
      downloads: [...downloads].map(([path, url]) => ({ path, url })),
      configFiles: lab.vms.flatMap((vm) => [installConfigFileName(vm), configFileName(vm)].filter((f): f is string => f !== undefined)),
      bridges: bridges.map((b) => b.bridge!),
      installName: interfacesName,
      forwarding,
      sysctlName,
      masquerade: nat.map((n) => ({ subnet: n.subnet!, hostInterface: n.hostInterface })),
      vms: lab.vms.map((vm) => ({
        name: vm.name,
        installConfig: installConfigFileName(vm) ?? null,
        config: configFileName(vm),
        bridges: [...new Set(vm.nics.flatMap((nic) => (nic.bridge ? [nic.bridge] : [])))].join(' '),
      })),
    }),
  });
  if (bridges.length) {
    files.push({
      path: 'dom0/interfaces',
      mode: 0o644,
      content: renderTemplate('interfaces', {
        stackName: lab.stackName,
        installName: interfacesName,
        bridges: bridges.map((b) => ({ name: b.bridge!, hostInterface: b.hostInterface, addressing: b.bridgeAddressing ?? 'dhcp' })),
      }),
    });
  }
  if (forwarding) {
    files.push({
      path: 'dom0/sysctl.conf',
      mode: 0o644,
      content: renderTemplate('sysctl.conf', {
        stackName: lab.stackName,
        sysctlName,
        proxyArp: [...new Set(routed.map((n) => n.hostInterface))],
      }),
    });
  }
  files.push({
    path: 'dom0/xl.conf',
    mode: 0o644,
    content: renderTemplate('xl.conf', { stackName: lab.stackName, defaultBridge: bridges[0]?.bridge ?? null }),
  });
  return files;
}

function uniqueBy(networks: NetworkModel[], key: (n: NetworkModel) => string): NetworkModel[] {
  const seen = new Map<string, NetworkModel>();
  for (const n of networks) if (!seen.has(key(n))) seen.set(key(n), n);
  return [...seen.values()];
}
