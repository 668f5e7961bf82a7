import { Construct } from 'constructs';
import { throwIfInvalid } from './construction';
import { IssueCollector } from '../errors';
import { ADDRESS_RULE, Ipv4Subnet, hostAddressProblem, inRange, ipv4Number, isIpv4Address, lastOctet, nonUnicastProblem, parseSubnet, SUBNET_RULE, withLastOctet } from '../model/ipv4';
import { domainName, interfaceName, macAddress, oneOf } from '../model/rules';
import { NetworkKind, NetworkModel, NicModel } from '../model/types';

/** What a VM asks of a network when it joins it. */
export interface InterfaceOptions {
  /** MAC address. @default derived from the stack, VM and network names in the Xen OUI 00:16:3e */
  readonly mac?: string;
  /** Static IPv4 address. Required on routed and NAT networks. @default none (DHCP on the bridge) */
  readonly ip?: string;
}

/** Addresses libvirt's DHCP server hands out on a routed or NAT network. */
export interface DhcpRange {
  readonly start: string;
  readonly end: string;
}

/** What routed and NAT networks add for libvirt hosts. */
export interface LibvirtAddressingProps {
  /**
   * The host's own address on the subnet: libvirt gives it to the network's bridge, and guests
   * use it as their gateway. Guests may not take it when the network is on a libvirt host.
   * @default the subnet's first host address (e.g. 10.0.20.1)
   */
  readonly gateway?: string;
  /**
   * A DHCP range for guests without a static address (libvirt hosts only; each VM's static IP is
   * handed out by a host entry for its MAC). Static guest IPs must lie outside the range.
   * @default no range: only the VMs' static entries
   */
  readonly dhcp?: DhcpRange;
}

/** A NIC before the lab assigns derived MACs. */
export type NicDraft = Omit<NicModel, 'mac'> & { readonly mac?: string };

/** Base of the three Xen network modes. */
export abstract class Network extends Construct {
  /** Name used in generated files and `virtlab list`. */
  public readonly name: string;
  public readonly kind: NetworkKind;
  protected readonly subnet?: Ipv4Subnet;
  /** Routed and NAT: the host's address on the subnet (see {@link LibvirtAddressingProps.gateway}). */
  public readonly gateway?: string;
  public readonly dhcp?: DhcpRange;

  /**
   * Validates what every network has (name, subnet) plus the subclass's own `checks`, and
   * throws every issue found at once.
   */
  protected constructor(scope: Construct, id: string, kind: NetworkKind,
    common: { name?: string; subnet?: string; subnetRequired: boolean; addressing?: LibvirtAddressingProps },
    checks: (issues: IssueCollector) => void) {
    super(scope, id);
    this.kind = kind;
    this.name = common.name ?? id;
    const issues = new IssueCollector(this.node.path);
    issues.apply('name', this.name, domainName);
    if (common.subnet !== undefined || common.subnetRequired) {
      const parsed = parseSubnet(common.subnet);
      issues.check(parsed !== undefined, 'subnet', common.subnet,
        common.subnet === undefined ? `is required on a ${kind} network: ${SUBNET_RULE}` : SUBNET_RULE);
      this.subnet = parsed;
    }
    if (common.addressing && this.subnet) {
      this.gateway = common.addressing.gateway ?? withLastOctet(this.subnet.network, lastOctet(this.subnet.network) + 1);
      this.dhcp = common.addressing.dhcp;
      this.checkAddressing(issues, this.subnet, this.gateway, this.dhcp);
    }
    checks(issues);
    throwIfInvalid(this, issues);
  }

  private checkAddressing(issues: IssueCollector, subnet: Ipv4Subnet, gateway: string, dhcp: DhcpRange | undefined): void {
    const hostAddress = (field: string, ip: unknown) =>
      issues.check(isIpv4Address(ip), field, ip, ADDRESS_RULE) &&
      issues.apply(field, ip, () => hostAddressProblem(ip as string, subnet));
    hostAddress('gateway', gateway);
    if (dhcp === undefined) return;
    if (hostAddress('dhcp.start', dhcp.start) && hostAddress('dhcp.end', dhcp.end)) {
      if (issues.check(ipv4Number(dhcp.start) <= ipv4Number(dhcp.end), 'dhcp.end', dhcp.end, `must not come before dhcp.start (${dhcp.start})`) && isIpv4Address(gateway)) {
        issues.check(!inRange(gateway, dhcp), 'dhcp', `${dhcp.start}-${dhcp.end}`, `must not include the gateway ${gateway}`);
      }
    }
  }

  /** @internal The plain model of this network. */
  public abstract toModel(): NetworkModel;

  /**
   * @internal Validates a VM's interface options against this network and returns the NIC.
   * Issues are recorded under the VM's path and `field`. `forXl` says whether the VM gets an
   * xl.cfg, whose vif scripts put their own rules on addresses.
   */
  public nicFor(issues: IssueCollector, field: string, options: InterfaceOptions, forXl: boolean): NicDraft | undefined {
    const ok = [
      options.mac === undefined || issues.apply(`${field}.mac`, options.mac, macAddress),
      options.ip === undefined || this.checkAddress(issues, `${field}.ip`, options.ip, forXl),
      options.ip !== undefined || this.kind === 'bridged' ||
        issues.check(false, `${field}.ip`, options.ip,
          `is required: a ${this.kind} network (${this.node.path}) gives each guest a static IPv4 address${this.kind === 'nat' && forXl ? ' whose last octet is 1-127' : ''}`),
    ].every(Boolean);
    if (!ok) return undefined;
    return { ...this.nicProperties(), network: this.name, networkKind: this.kind, mac: options.mac?.toLowerCase(), ip: options.ip };
  }

  protected abstract nicProperties(): Pick<NicModel, 'script' | 'bridge' | 'gatewayDevice'>;

  private checkAddress(issues: IssueCollector, field: string, ip: string, forXl: boolean): boolean {
    if (!issues.check(isIpv4Address(ip), field, ip, ADDRESS_RULE)) return false;
    if (!issues.apply(field, ip, () => nonUnicastProblem(ip))) return false;
    if (this.subnet) {
      const problem = hostAddressProblem(ip, this.subnet);
      if (!issues.check(problem === undefined, field, ip, `${problem} (network ${this.node.path})`)) return false;
    }
    return !forXl || this.checkXlAddress(issues, field, ip);
  }

  /** Extra rules a network mode's xl vif script puts on guest addresses. */
  protected checkXlAddress(_issues: IssueCollector, _field: string, _ip: string): boolean {
    return true;
  }
}

export interface BridgedNetworkProps {
  /** @default the construct id */
  readonly name?: string;
  /** Dom0 bridge the guests' vifs join. @default "xenbr0" */
  readonly bridge?: string;
  /** Physical interface enslaved to the bridge. @default "eth0" */
  readonly hostInterface?: string;
  /** How dom0 gets the bridge's own address: "dhcp", or "manual" to leave it to you. @default "dhcp" */
  readonly bridgeAddressing?: 'dhcp' | 'manual';
  /** Subnet of the LAN; when given, guest addresses are checked against it. @default none */
  readonly subnet?: string;
}

/**
 * Xen's default networking: guests join a dom0 bridge that also holds a physical interface, so
 * each guest appears on the LAN as a host of its own (`vif-bridge`).
 */
export class BridgedNetwork extends Network {
  public readonly bridge: string;
  public readonly hostInterface: string;
  public readonly bridgeAddressing: 'dhcp' | 'manual';

  constructor(scope: Construct, id: string, props: BridgedNetworkProps = {}) {
    const bridge = props.bridge ?? 'xenbr0';
    const hostInterface = props.hostInterface ?? 'eth0';
    const bridgeAddressing = props.bridgeAddressing ?? 'dhcp';
    super(scope, id, 'bridged', { name: props.name, subnet: props.subnet, subnetRequired: false }, (issues) => {
      issues.apply('bridge', bridge, interfaceName);
      issues.apply('hostInterface', hostInterface, interfaceName);
      issues.apply('bridgeAddressing', bridgeAddressing, oneOf(['dhcp', 'manual']));
      issues.check(bridge !== hostInterface, 'hostInterface', hostInterface, 'must differ from the bridge name');
    });
    this.bridge = bridge;
    this.hostInterface = hostInterface;
    this.bridgeAddressing = bridgeAddressing;
  }

  public toModel(): NetworkModel {
    return {
      path: this.node.path, name: this.name, kind: 'bridged', bridge: this.bridge, hostInterface: this.hostInterface,
      bridgeAddressing: this.bridgeAddressing, subnet: this.subnet?.cidr,
    };
  }

  protected nicProperties() {
    return { script: 'vif-bridge' as const, bridge: this.bridge };
  }
}

export interface RoutedNetworkProps extends LibvirtAddressingProps {
  /** @default the construct id */
  readonly name?: string;
  /** Subnet the guests' static addresses come from, e.g. "10.0.10.0/24". */
  readonly subnet: string;
  /** Dom0 interface that routes the guests' traffic (vif `gatewaydev`, proxy ARP). @default "eth0" */
  readonly gatewayDevice?: string;
}

/**
 * Routed networking (`vif-route`): a point-to-point link from dom0 to each guest, with a host
 * route per guest. Routes are made when the guest starts, so every interface needs a static IP.
 */
export class RoutedNetwork extends Network {
  public readonly gatewayDevice: string;

  constructor(scope: Construct, id: string, props: RoutedNetworkProps) {
    const gatewayDevice = props.gatewayDevice ?? 'eth0';
    super(scope, id, 'routed', { name: props.name, subnet: props.subnet, subnetRequired: true, addressing: props }, (issues) => {
      issues.apply('gatewayDevice', gatewayDevice, interfaceName);
    });
    this.gatewayDevice = gatewayDevice;
  }

  public toModel(): NetworkModel {
    return {
      path: this.node.path, name: this.name, kind: 'routed', hostInterface: this.gatewayDevice, subnet: this.subnet?.cidr,
      gateway: this.gateway, dhcpRange: this.dhcp,
    };
  }

  protected nicProperties() {
    return { script: 'vif-route' as const, gatewayDevice: this.gatewayDevice };
  }
}

export interface NatNetworkProps extends LibvirtAddressingProps {
  /** @default the construct id */
  readonly name?: string;
  /** Private subnet the guests' static addresses come from, e.g. "10.0.20.0/24". */
  readonly subnet: string;
  /** Dom0 interface whose address masquerades the guests' traffic. @default "eth0" */
  readonly outboundInterface?: string;
}

/**
 * NAT networking (`vif-nat`): guests live on a private subnet behind dom0. vif-nat gives each
 * guest the gateway "its address with 127 added to the last octet", so guest addresses must end
 * in 1-127 for the gateway to be a valid host address.
 */
export class NatNetwork extends Network {
  public readonly outboundInterface: string;

  constructor(scope: Construct, id: string, props: NatNetworkProps) {
    const outboundInterface = props.outboundInterface ?? 'eth0';
    super(scope, id, 'nat', { name: props.name, subnet: props.subnet, subnetRequired: true, addressing: props }, (issues) => {
      issues.apply('outboundInterface', outboundInterface, interfaceName);
    });
    this.outboundInterface = outboundInterface;
  }

  public toModel(): NetworkModel {
    return {
      path: this.node.path, name: this.name, kind: 'nat', hostInterface: this.outboundInterface, subnet: this.subnet?.cidr,
      gateway: this.gateway, dhcpRange: this.dhcp,
    };
  }

  protected nicProperties() {
    return { script: 'vif-nat' as const };
  }

  protected checkXlAddress(issues: IssueCollector, field: string, ip: string): boolean {
    const octet = lastOctet(ip);
    if (!issues.check(octet >= 1 && octet <= 127, field, ip,
      `a NAT guest's last octet must be 1-127: vif-nat makes the guest's gateway the address plus 127 in the last octet, and ${octet} + 127 = ${octet + 127} is not a host address`)) {
      return false;
    }
    const router = withLastOctet(ip, octet + 127);
    return !this.subnet || issues.check(hostAddressProblem(router, this.subnet) === undefined, field, ip,
      `vif-nat makes this guest's gateway ${router} (its address plus 127 in the last octet), which ${hostAddressProblem(router, this.subnet)}; use a /24 or larger subnet, or a lower address`);
  }
}
