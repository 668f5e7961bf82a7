/**
 * The naming and range rules of Xen, LVM and Linux that virtlab enforces before writing anything.
 * Each rule returns `undefined` when the value is valid and otherwise the rule, phrased as what is
 * required, for the error message.
 */

export type Rule<T> = (value: T) => string | undefined;

/** Control characters (C0, DEL, C1): never valid in a name, path or command line we write. */
const CONTROL_CHARACTER = /[\u0000-\u001f\u007f-\u009f]/;

export const DOMAIN_NAME_MAX = 64;
export const MEMORY_MIB_MIN = 16;
export const MEMORY_MIB_MAX = 4 * 1024 * 1024; // 4 TiB, far above any lab host
export const VCPUS_MIN = 1;
export const VCPUS_MAX = 128;
export const LVM_NAME_MAX = 127;
export const INTERFACE_NAME_MAX = 15; // IFNAMSIZ - 1

function isString(value: unknown): value is string {
  return typeof value === 'string';
}

/** Xen domain names (and every name virtlab turns into a file name): `[A-Za-z0-9][A-Za-z0-9_.-]*`. */
export const domainName: Rule<unknown> = (value) => {
  const rule = `must match [A-Za-z0-9][A-Za-z0-9_.-]*, not be all digits, and be at most ${DOMAIN_NAME_MAX} characters`;
  if (!isString(value) || !/^[A-Za-z0-9][A-Za-z0-9_.-]*$/.test(value)) return rule;
  if (/^[0-9]+$/.test(value)) return `${rule} (an all-digit name is read by xl as a domain id)`;
  if (value === 'Domain-0') return `${rule}, and not be "Domain-0", which is dom0's own name`;
  if (value.length > DOMAIN_NAME_MAX) return rule;
  return undefined;
};

const LVM_NAME = /^[A-Za-z0-9+_.-]+$/;

function lvmName(kind: string, value: unknown): string | undefined {
  const rule = `${kind} names use only A-Z a-z 0-9 + _ . -, must not start with "-", must not be "." or "..", and are at most ${LVM_NAME_MAX} characters`;
  if (!isString(value) || !LVM_NAME.test(value)) return rule;
  if (value.startsWith('-') || value === '.' || value === '..') return rule;
  if (value.length > LVM_NAME_MAX) return rule;
  return undefined;
}

export const volumeGroupName: Rule<unknown> = (value) => lvmName('LVM volume group', value);

/** Substrings LVM reserves for its own sub-volumes (thin pools, caches, mirrors, RAID, …). */
export const RESERVED_LV_SUBSTRINGS = [
  '_cdata', '_cmeta', '_corig', '_cpool', '_cvol', '_wcorig', '_imeta', '_iorig', '_mimage',
  '_mlog', '_pmspare', '_rimage', '_rmeta', '_tdata', '_tmeta', '_vdata', '_vorigin',
] as const;
export const RESERVED_LV_PREFIXES = ['snapshot', 'pvmove'] as const;

export const logicalVolumeName: Rule<unknown> = (value) => {
  const broken = lvmName('LVM logical volume', value);
  if (broken !== undefined) return broken;
  const name = value as string;
  const prefix = RESERVED_LV_PREFIXES.find((p) => name.startsWith(p));
  if (prefix) return `LVM reserves logical volume names starting with "${prefix}"`;
  const reserved = RESERVED_LV_SUBSTRINGS.find((s) => name.includes(s));
  if (reserved) return `LVM reserves logical volume names containing "${reserved}"`;
  return undefined;
};

/**
 * Linux network interface names (bridges, uplinks): 1–15 characters (IFNAMSIZ), not `.` or `..`.
 * Linux itself only forbids `/`, `:` and whitespace; virtlab also keeps to A-Z a-z 0-9 _ . @ + -
 * because these names land in vif specs (split on `,` and `=`), sysctl keys, iptables rules and
 * /etc/network/interfaces.
 */
export const interfaceName: Rule<unknown> = (value) => {
  const rule = `interface names are 1-${INTERFACE_NAME_MAX} characters from A-Z a-z 0-9 _ . @ + - (so no "/", ":", "," or whitespace), and not "." or ".."`;
  if (!isString(value) || value.length === 0 || value.length > INTERFACE_NAME_MAX) return rule;
  if (!/^[A-Za-z0-9_.@+-]+$/.test(value) || value === '.' || value === '..') return rule;
  return undefined;
};

function integerIn(min: number, max: number, unit: string): Rule<unknown> {
  return (value) =>
    typeof value === 'number' && Number.isInteger(value) && value >= min && value <= max
      ? undefined
      : `must be a whole number of ${unit} from ${min} to ${max}`;
}

export const memoryMiB = integerIn(MEMORY_MIB_MIN, MEMORY_MIB_MAX, 'MiB');
export const vcpuCount = integerIn(VCPUS_MIN, VCPUS_MAX, 'virtual CPUs');

/** An absolute path on dom0 without control characters (it lands in xl.cfg and shell scripts). */
export const absolutePath: Rule<unknown> = (value) => {
  const rule = 'must be an absolute path ("/…") without control characters, "/../" or "/./" segments';
  if (!isString(value) || !value.startsWith('/') || CONTROL_CHARACTER.test(value)) return rule;
  if (value.split('/').some((segment) => segment === '..' || segment === '.')) return rule;
  return undefined;
};

/** A download location for installer files. */
export const downloadUrl: Rule<unknown> = (value) => {
  const rule = 'must be an http:// or https:// URL without whitespace or control characters';
  if (!isString(value) || /\s/.test(value) || CONTROL_CHARACTER.test(value)) return rule;
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    return rule;
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') return rule;
  if (url.pathname.endsWith('/')) return `${rule}, naming a file (not a directory)`;
  return undefined;
};

/** Free text such as a kernel command line: any printable text, no control characters. */
export const printableText: Rule<unknown> = (value) =>
  isString(value) && !CONTROL_CHARACTER.test(value)
    ? undefined
    : 'must be text without control characters (newline, tab, escape, …)';

/** A unicast MAC address written as six colon-separated hex octets. */
export const macAddress: Rule<unknown> = (value) => {
  const rule = 'must be six hex octets separated by ":" (e.g. 00:16:3e:12:34:56) with the multicast bit of the first octet clear';
  if (!isString(value) || !/^[0-9A-Fa-f]{2}(:[0-9A-Fa-f]{2}){5}$/.test(value)) return rule;
  if ((parseInt(value.slice(0, 2), 16) & 1) === 1) return rule;
  if (/^00(:00){5}$/.test(value)) return `${rule}, and not be all zeros (xl reads that as "no MAC" and picks a random one)`;
  return undefined;
};

export function oneOf<T extends string>(allowed: readonly T[]): Rule<unknown> {
  return (value) =>
    isString(value) && (allowed as readonly string[]).includes(value)
      ? undefined
      : `must be one of ${allowed.map((a) => `"${a}"`).join(', ')}`;
}

/**
 * Names that become Terraform identifiers (libvirt host ids, used as provider aliases): a letter,
 * then letters, digits, `_` and `-`.
 */
export const terraformName: Rule<unknown> = (value) =>
  isString(value) && /^[A-Za-z][A-Za-z0-9_-]{0,62}$/.test(value)
    ? undefined
    : 'must start with a letter and continue with letters, digits, "_" or "-", at most 63 characters (it names a Terraform provider alias)';

/** libvirt connection URIs: `qemu:///system`, `xen:///system`, `qemu+ssh://user@host/system`, …. */
export function libvirtUri(driver: 'qemu' | 'xen'): Rule<unknown> {
  return (value) => {
    const rule = `must be a libvirt URI of the ${driver} driver, like ${driver}:///system or ${driver}+ssh://user@host/system`;
    if (!isString(value) || /\s/.test(value) || CONTROL_CHARACTER.test(value)) return rule;
    const match = /^([a-z0-9]+)(\+[a-z0-9]+)?:\/\/([^/]*)\/(system|session)(\?.*)?$/.exec(value);
    if (!match || match[1] !== driver) return rule;
    if (match[4] === 'session' && driver === 'xen') return `${rule} (the Xen driver has no session instance)`;
    if (match[3] !== '' && match[2] === undefined) return `${rule} (a remote host needs a transport, e.g. ${driver}+ssh://)`;
    return undefined;
  };
}
