import {
  DOMAIN_NAME_MAX, LVM_NAME_MAX, MEMORY_MIB_MAX, MEMORY_MIB_MIN, RESERVED_LV_PREFIXES, RESERVED_LV_SUBSTRINGS, VCPUS_MAX, VCPUS_MIN,
  absolutePath, domainName, downloadUrl, interfaceName, logicalVolumeName, macAddress, memoryMiB, printableText, vcpuCount, volumeGroupName,
} from '../lib/model/rules';
import { parseSize } from '../lib/model/size';
import { hostAddressProblem, parseSubnet } from '../lib/model/ipv4';

const valid = (rule: (v: unknown) => string | undefined, value: unknown) => rule(value) === undefined;

describe('Xen domain names', () => {
  it.each(['vm01', 'a', 'A.b-c_d', '1vm', 'x'.repeat(DOMAIN_NAME_MAX)])('accepts %j', (name) => {
    expect(valid(domainName, name)).toBe(true);
  });
  it.each([
    ['empty', ''], ['a slash', 'a/b'], ['a leading dash', '-vm'], ['a leading dot', '.vm'], ['a space', 'vm 01'],
    ['a newline', 'vm\n01'], ['a quote', 'vm"01'], ['a comma', 'vm,01'], ['an equals sign', 'vm=01'],
    ['all digits', '0123'], ['one character too many', 'x'.repeat(DOMAIN_NAME_MAX + 1)], ['non-ASCII', 'vmé'],
    ['not a string', 42],
  ])('rejects %s', (_what, name) => {
    expect(domainName(name)).toMatch(/\[A-Za-z0-9\]/);
  });
  it('explains why an all-digit name is refused', () => {
    expect(domainName('42')).toMatch(/domain id/);
  });
});

describe('LVM names', () => {
  it.each(['vg0', 'vg+data', 'a.b_c-d', 'x'.repeat(LVM_NAME_MAX)])('accepts the volume group %j', (name) => {
    expect(valid(volumeGroupName, name)).toBe(true);
  });
  it.each(['', '-vg', '.', '..', 'vg/0', 'vg 0', 'x'.repeat(LVM_NAME_MAX + 1), 'vg:0'])('rejects the volume group %j', (name) => {
    expect(valid(volumeGroupName, name)).toBe(false);
  });
  it.each(['vm01-disk', 'my_snapshot', 'data-pvmove', 'x'.repeat(LVM_NAME_MAX)])('accepts the logical volume %j', (name) => {
    expect(valid(logicalVolumeName, name)).toBe(true);
  });
  it.each(RESERVED_LV_PREFIXES.map((p) => `${p}1`))('rejects the reserved prefix in %j', (name) => {
    expect(logicalVolumeName(name)).toMatch(/reserves logical volume names starting with/);
  });
  it.each(RESERVED_LV_SUBSTRINGS.map((s) => `data${s}x`))('rejects the reserved part in %j', (name) => {
    expect(logicalVolumeName(name)).toMatch(/reserves logical volume names containing/);
  });
  it.each(['-lv', '.', '..', 'x'.repeat(LVM_NAME_MAX + 1), 'lv/0'])('rejects the logical volume %j', (name) => {
    expect(valid(logicalVolumeName, name)).toBe(false);
  });
});

describe('interface and bridge names', () => {
  it.each(['eth0', 'xenbr0', 'eth0.100', 'x'.repeat(15), 'br-lab@1'])('accepts %j', (name) => {
    expect(valid(interfaceName, name)).toBe(true);
  });
  it.each(['', 'x'.repeat(16), 'eth/0', 'eth:0', 'eth 0', 'eth\t0', 'eth,0', 'eth=0', '.', '..'])('rejects %j', (name) => {
    expect(valid(interfaceName, name)).toBe(false);
  });
});

describe('memory and vCPUs', () => {
  it.each([MEMORY_MIB_MIN, 1024, MEMORY_MIB_MAX])('accepts %d MiB', (m) => expect(valid(memoryMiB, m)).toBe(true));
  it.each([MEMORY_MIB_MIN - 1, MEMORY_MIB_MAX + 1, 0, -512, 512.5, NaN, '512'])('rejects %p MiB', (m) => {
    expect(memoryMiB(m)).toBe(`must be a whole number of MiB from ${MEMORY_MIB_MIN} to ${MEMORY_MIB_MAX}`);
  });
  it.each([VCPUS_MIN, VCPUS_MAX])('accepts %d vCPUs', (n) => expect(valid(vcpuCount, n)).toBe(true));
  it.each([VCPUS_MIN - 1, VCPUS_MAX + 1, 1.5])('rejects %p vCPUs', (n) => expect(valid(vcpuCount, n)).toBe(false));
});

describe('sizes', () => {
  it.each([
    ['10G', '10G', 10 * 1024 ** 3], ['512M', '512M', 512 * 1024 ** 2], ['4M', '4M', 4 * 1024 ** 2],
    ['10g', '10G', 10 * 1024 ** 3], ['10GiB', '10G', 10 * 1024 ** 3], ['64T', '64T', 64 * 1024 ** 4], ['4096K', '4096K', 4 * 1024 ** 2],
  ])('reads %j as %s', (input, text, bytes) => {
    expect(parseSize(input)).toEqual({ text, bytes });
  });
  it.each(['3M', '4095K', '65T', '0G', '-1G', '1.5G', '10', 'G', '10 G', '10GB', '10P', '010G', '', ' 10G', '99999999999999999T'])('rejects %j', (input) => {
    expect(parseSize(input)).toBeUndefined();
  });
});

describe('paths, URLs and free text', () => {
  it.each(['/srv/iso/debian.iso', '/a b/c,d.iso'])('accepts the path %j', (p) => expect(valid(absolutePath, p)).toBe(true));
  it.each(['relative.iso', '/a/../b', '/a/./b', '/a\nb', ''])('rejects the path %j', (p) => expect(valid(absolutePath, p)).toBe(false));
  it.each(['https://deb.debian.org/x/vmlinuz', 'http://mirror.local:8080/a/initrd.gz'])('accepts the URL %j', (u) => {
    expect(valid(downloadUrl, u)).toBe(true);
  });
  it.each(['ftp://x/vmlinuz', 'https://x/dir/', 'https://x/a b', 'not a url', 'file:///etc/passwd'])('rejects the URL %j', (u) => {
    expect(valid(downloadUrl, u)).toBe(false);
  });
  it('accepts printable unicode text and refuses control characters', () => {
    expect(valid(printableText, 'console=hvc0 ünïcode "quoted" \\')).toBe(true);
    for (const c of ['\n', '\t', '\r', '\u0000', '\u001b', '\u007f']) expect(valid(printableText, `a${c}b`)).toBe(false);
  });
});

describe('MAC addresses', () => {
  it.each(['00:16:3e:00:00:01', '02:AB:cd:ef:01:23'])('accepts %j', (m) => expect(valid(macAddress, m)).toBe(true));
  it.each(['01:00:5e:00:00:01', '00:16:3e:00:00', '00-16-3e-00-00-01', '00:16:3e:00:00:0g', '00:16:3e:00:00:01,bridge=x'])('rejects %j', (m) => {
    expect(valid(macAddress, m)).toBe(false);
  });
});

describe('IPv4 subnets and host addresses', () => {
  it('parses a subnet and canonicalises it', () => {
    expect(parseSubnet('10.0.20.0/24')).toEqual({ cidr: '10.0.20.0/24', network: '10.0.20.0', broadcast: '10.0.20.255', prefixLength: 24 });
  });
  it.each(['10.0.20.1/24', '10.0.20.0', '10.0.20.0/31', '10.0.0.0/7', '010.0.20.0/24', '10.0.20/24', 'fd00::/64'])('rejects the subnet %j', (s) => {
    expect(parseSubnet(s)).toBeUndefined();
  });
  const subnet = parseSubnet('10.0.20.0/24')!;
  it('accepts the first and last host addresses', () => {
    expect(hostAddressProblem('10.0.20.1', subnet)).toBeUndefined();
    expect(hostAddressProblem('10.0.20.254', subnet)).toBeUndefined();
  });
  it('rejects the network and broadcast addresses and addresses outside', () => {
    expect(hostAddressProblem('10.0.20.0', subnet)).toMatch(/network address/);
    expect(hostAddressProblem('10.0.20.255', subnet)).toMatch(/broadcast address/);
    expect(hostAddressProblem('10.0.21.1', subnet)).toMatch(/inside the network 10.0.20.0\/24/);
  });
});
