import { ValidationIssue } from '../errors';
import { inRange, parseSubnet, subnetsOverlap } from './ipv4';
import { LabModel, NetworkModel } from './types';

/**
 * Rules that span a whole lab, checked on the plain model: names, MACs, IPs and LV paths are
 * unique in a stack, and networks sharing a bridge agree on it. Maps keep this linear.
 */
export function checkLab(lab: LabModel): ValidationIssue[] {
  const issues: ValidationIssue[] = [];
  const firstOwner = new Map<string, string>();

  /** Records `key` for `path`; reports an issue if another construct already holds it. */
  const unique = (space: string, key: string, path: string, field: string, value: unknown, what: string) => {
    const mapKey = `${space}\u0000${key}`;
    const owner = firstOwner.get(mapKey);
    if (owner === undefined) firstOwner.set(mapKey, path);
    else issues.push({ path, field, value, rule: `${what} must be unique in the stack, and ${owner} already uses it` });
  };

  for (const network of lab.networks) {
    unique('network', network.name, network.path, 'name', network.name, 'network names');
  }
  checkBridges(lab.networks, issues);

  for (const vm of lab.vms) {
    unique('vm', vm.name, vm.path, 'name', vm.name, 'VM names');
    vm.nics.forEach((nic, i) => {
      unique('mac', nic.mac, vm.path, `interfaces[${i}].mac`, nic.mac, 'MAC addresses');
      if (nic.ip !== undefined) unique('ip', nic.ip, vm.path, `interfaces[${i}].ip`, nic.ip, 'IP addresses');
    });
  }
  checkLibvirtAddresses(lab, issues);
  checkXlFiles(lab, issues);
  checkUplinks(lab, issues);
  checkSubnets(lab, issues);
  const attached = new Set(lab.vms.flatMap((vm) => vm.disks.map((d) => d.target)));
  for (const lv of lab.logicalVolumes) {
    unique('lv', lv.devicePath, lv.owner, 'name', lv.name, `logical volumes (${lv.devicePath})`);
    if (lv.shared && !attached.has(lv.devicePath)) {
      issues.push({ path: lv.owner, field: 'attachments', value: [], rule: 'a volume must be attached to at least one VM: it is created on the machine of the VMs using it' });
    }
  }
  for (const vm of lab.vms) {
    if (vm.boot.kind === 'hvm-iso' && attached.has(vm.boot.iso)) {
      issues.push({ path: vm.path, field: 'boot.iso', value: vm.boot.iso, rule: 'is a logical volume of this lab, not an installation ISO' });
    }
  }
  return issues;
}

function checkBridges(networks: readonly NetworkModel[], issues: ValidationIssue[]): void {
  const byBridge = new Map<string, NetworkModel>();
  for (const network of networks) {
    if (network.bridge === undefined) continue;
    const first = byBridge.get(network.bridge);
    if (!first) {
      byBridge.set(network.bridge, network);
    } else if (first.hostInterface !== network.hostInterface || first.bridgeAddressing !== network.bridgeAddressing) {
      issues.push({
        path: network.path, field: 'bridge', value: network.bridge,
        rule: `is also defined by ${first.path} with other settings; networks sharing a bridge must agree on hostInterface and bridgeAddressing`,
      });
    }
  }
}

/**
 * On a libvirt host, a routed or NAT network's gateway address belongs to the host's bridge and
 * its DHCP range to the DHCP server: a guest's static address may be neither.
 */
function checkLibvirtAddresses(lab: LabModel, issues: ValidationIssue[]): void {
  const networks = new Map(lab.networks.map((n) => [n.name, n]));
  for (const vm of lab.vms) {
    if (vm.host === undefined) continue;
    vm.nics.forEach((nic, i) => {
      const network = networks.get(nic.network);
      if (!network || nic.ip === undefined) return;
      if (nic.ip === network.gateway) {
        issues.push({ path: vm.path, field: `interfaces[${i}].ip`, value: nic.ip,
          rule: `is the gateway of ${network.path} on libvirt host ${vm.host}; choose another address or set the network's gateway` });
      } else if (network.dhcpRange && inRange(nic.ip, network.dhcpRange)) {
        issues.push({ path: vm.path, field: `interfaces[${i}].ip`, value: nic.ip,
          rule: `lies in the DHCP range ${network.dhcpRange.start}-${network.dhcpRange.end} of ${network.path}; static addresses must be outside it` });
      }
    });
  }
}

/** VMs that run under xl: no libvirt host, or a Xen one. */
function xlVms(lab: LabModel) {
  const kvm = new Set(lab.hosts.filter((h) => h.hypervisor === 'kvm').map((h) => h.name));
  return lab.vms.filter((vm) => vm.host === undefined || !kvm.has(vm.host));
}

/**
 * Two xl VMs must not write the same file: `a.install` would overwrite `a`'s install-phase cfg,
 * and two installers must not download different files to one path.
 */
function checkXlFiles(lab: LabModel, issues: ValidationIssue[]): void {
  const files = new Map<string, { path: string; name: string }>();
  const downloads = new Map<string, { url: string; path: string }>();
  for (const vm of xlVms(lab)) {
    if (vm.name.endsWith('.install')) {
      issues.push({ path: vm.path, field: 'name', value: vm.name, rule: 'must not end in ".install" for a VM that gets xl.cfg files: <vm>.install.cfg is the install phase of the VM named <vm>' });
      continue;
    }
    const installPhase = vm.boot.kind === 'installer' || vm.boot.kind === 'hvm-iso';
    for (const file of [`${vm.name}.cfg`, ...(installPhase ? [`${vm.name}.install.cfg`] : [])]) {
      const owner = files.get(file);
      // Equal names are reported as such; this is about different names meeting in one file.
      if (owner && owner.name !== vm.name) {
        issues.push({ path: vm.path, field: 'name', value: vm.name, rule: `would write ${file}, which ${owner.path} writes too; choose a name that does not end in ".install"` });
      } else if (!owner) {
        files.set(file, { path: vm.path, name: vm.name });
      }
    }
    if (vm.boot.kind !== 'installer') continue;
    for (const [which, file] of [['kernel', vm.boot.installer.kernel], ['ramdisk', vm.boot.installer.ramdisk]] as const) {
      if (!file?.url) continue;
      const earlier = downloads.get(file.path);
      if (earlier && earlier.url !== file.url) {
        issues.push({ path: vm.path, field: `boot.installer.${which}`, value: file.url,
          rule: `downloads to ${file.path}, where ${earlier.path} downloads ${earlier.url}; give the installer another name` });
      } else if (!earlier) {
        downloads.set(file.path, { url: file.url, path: vm.path });
      }
    }
  }
}

/**
 * A routed network's gateway device and a NAT network's outbound interface must carry dom0's
 * address: an interface enslaved to a bridge has none (vif-route reads it, MASQUERADE matches it).
 */
function checkUplinks(lab: LabModel, issues: ValidationIssue[]): void {
  const used = new Set(xlVms(lab).flatMap((vm) => vm.nics.map((nic) => nic.network)));
  const ports = new Map(lab.networks.filter((n) => n.kind === 'bridged' && used.has(n.name)).map((n) => [n.hostInterface, n]));
  for (const network of lab.networks.filter((n) => n.kind !== 'bridged' && used.has(n.name))) {
    const bridged = ports.get(network.hostInterface);
    if (bridged) {
      issues.push({ path: network.path, field: network.kind === 'routed' ? 'gatewayDevice' : 'outboundInterface', value: network.hostInterface,
        rule: `is a port of bridge ${bridged.bridge} (${bridged.path}), so dom0's address is on ${bridged.bridge}; use "${bridged.bridge}"` });
    }
  }
}

/** Routed and NAT networks of one lab must not overlap: dom0 would not know where to route. */
function checkSubnets(lab: LabModel, issues: ValidationIssue[]): void {
  const seen: Array<{ path: string; subnet: NonNullable<ReturnType<typeof parseSubnet>> }> = [];
  for (const network of lab.networks) {
    const subnet = network.kind === 'bridged' ? undefined : parseSubnet(network.subnet);
    if (!subnet) continue;
    const clash = seen.find((s) => subnetsOverlap(s.subnet, subnet));
    if (clash) issues.push({ path: network.path, field: 'subnet', value: network.subnet, rule: `overlaps ${clash.subnet.cidr} of ${clash.path}` });
    else seen.push({ path: network.path, subnet });
  }
}
