import { ValidationIssue } from '../errors';
import { inRange } from './ipv4';
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
  for (const lv of lab.logicalVolumes) {
    unique('lv', lv.devicePath, lv.owner, 'name', lv.name, `logical volumes (${lv.devicePath})`);
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
