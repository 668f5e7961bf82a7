import ipaddr from 'ipaddr.js';

/**
 * IPv4 subnet maths for static guest addresses (vif-route and vif-nat are IPv4-only).
 * Parsing is ipaddr.js's strict four-part decimal form, so "10.1" or "010.0.0.1" are refused.
 */
export interface Ipv4Subnet {
  /** Canonical CIDR, e.g. `10.0.20.0/24`. */
  readonly cidr: string;
  readonly network: string;
  readonly broadcast: string;
  readonly prefixLength: number;
}

export const SUBNET_RULE = 'must be an IPv4 network in CIDR notation with its host bits zero (e.g. "10.0.20.0/24"), prefix /8 to /30';
export const ADDRESS_RULE = 'must be an IPv4 address in four-part decimal notation (e.g. "10.0.20.10")';

export function parseSubnet(value: unknown): Ipv4Subnet | undefined {
  if (typeof value !== 'string' || !ipaddr.IPv4.isValidCIDR(value)) return undefined;
  const [address, prefixLength] = ipaddr.IPv4.parseCIDR(value);
  if (!ipaddr.IPv4.isValidFourPartDecimal(value.split('/')[0])) return undefined;
  if (prefixLength < 8 || prefixLength > 30) return undefined;
  const network = ipaddr.IPv4.networkAddressFromCIDR(value).toString();
  if (address.toString() !== network) return undefined;
  return {
    cidr: `${network}/${prefixLength}`,
    network,
    broadcast: ipaddr.IPv4.broadcastAddressFromCIDR(value).toString(),
    prefixLength,
  };
}

export function isIpv4Address(value: unknown): value is string {
  return typeof value === 'string' && ipaddr.IPv4.isValidFourPartDecimal(value);
}

/** Why `address` cannot be a guest's own address anywhere (not unicast), or `undefined`. */
export function nonUnicastProblem(address: string): string | undefined {
  const range = ipaddr.IPv4.parse(address).range();
  const refused: Record<string, string> = {
    unspecified: 'the unspecified address', broadcast: 'the broadcast address', multicast: 'a multicast address',
    loopback: 'a loopback address', reserved: 'a reserved address',
  };
  return refused[range] ? `is ${refused[range]}, not a host address` : undefined;
}

/** Whether two subnets share any address. */
export function subnetsOverlap(a: Ipv4Subnet, b: Ipv4Subnet): boolean {
  return ipv4Number(a.network) <= ipv4Number(b.broadcast) && ipv4Number(b.network) <= ipv4Number(a.broadcast);
}

/** Why `address` cannot be a host in `subnet`, or `undefined` when it can. */
export function hostAddressProblem(address: string, subnet: Ipv4Subnet): string | undefined {
  const parsed = ipaddr.IPv4.parse(address);
  if (!parsed.match(ipaddr.IPv4.parse(subnet.network), subnet.prefixLength)) {
    return `must be inside the network ${subnet.cidr}`;
  }
  if (address === subnet.network) return `is the network address of ${subnet.cidr}, not a host address`;
  if (address === subnet.broadcast) return `is the broadcast address of ${subnet.cidr}, not a host address`;
  return undefined;
}

/** The last octet of a dotted-quad address. */
export function lastOctet(address: string): number {
  return ipaddr.IPv4.parse(address).octets[3];
}

/** The address with its last octet replaced. */
export function withLastOctet(address: string, octet: number): string {
  const octets = [...ipaddr.IPv4.parse(address).octets];
  octets[3] = octet;
  return new ipaddr.IPv4(octets).toString();
}

/** The address as an unsigned 32-bit number, for ordering. */
export function ipv4Number(address: string): number {
  return ipaddr.IPv4.parse(address).octets.reduce((n, octet) => n * 256 + octet, 0);
}

/** Whether `address` lies in the inclusive range. */
export function inRange(address: string, range: { readonly start: string; readonly end: string }): boolean {
  const n = ipv4Number(address);
  return ipv4Number(range.start) <= n && n <= ipv4Number(range.end);
}
