import { mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { run } from '../lib/cli/cli';
import { readTree } from './support/output';

/**
 * A catalog of bad inputs, through lab files, the TypeScript API (an --app module) and the
 * command line. Every one must be refused with exit code 1, an error naming the field, the value
 * and the rule, and no file created or changed anywhere in the project.
 */
const root = resolve(__dirname, '..');
const lib = JSON.stringify(join(root, 'dist', 'lib'));

const valid = `name: lab
networks:
  lan: { kind: bridged, bridge: xenbr0, hostInterface: eth0 }
  routed: { kind: routed, subnet: 10.0.10.0/24, gatewayDevice: xenbr0 }
  nat: { kind: nat, subnet: 10.0.20.0/24, outboundInterface: xenbr0 }
volumes:
  data: { size: 20G }
vms:
  vm01:
    interfaces: [ { network: lan } ]
    volumes: [ { volume: data, readOnly: true } ]
  vm02:
    interfaces: [ { network: routed, ip: 10.0.10.2 } ]
  vm03:
    interfaces: [ { network: nat, ip: 10.0.20.3 } ]
`;

/** The valid lab with one edit; fails loudly if the edit does not apply. */
const edit = (from: string | RegExp, to: string) => {
  const edited = valid.replace(from, to);
  if (edited === valid) throw new Error(`edit did not apply: ${from}`);
  return edited;
};
const vm = (props: string) => `${valid}  bad:\n${props.split('\n').map((l) => `    ${l}`).join('\n')}\n`;

type Case = { lab?: string | Buffer; ext?: string; app?: string; args?: (dir: string) => string[]; setup?: (dir: string) => void; error: RegExp };

const cases: Record<string, Case> = {
  // Names
  'a VM name with /': { lab: vm('name: a/b'), error: /vms\.bad\.name = "a\/b": must match/ },
  'a VM name with ..': { lab: vm('name: ../../etc/passwd'), error: /vms\.bad\.name = "\.\.\/\.\.\/etc\/passwd": must match/ },
  'a VM name with a space': { lab: vm('name: "vm 01"'), error: /vms\.bad\.name = "vm 01": must match/ },
  'a VM name with a newline': { lab: vm('name: "vm\\n01"'), error: /vms\.bad\.name = "vm\\n01": must match/ },
  'a VM name with a quote': { lab: vm('name: "vm\\"01"'), error: /vms\.bad\.name = "vm\\"01": must match/ },
  'a VM name with a comma': { lab: vm('name: "vm,01"'), error: /vms\.bad\.name = "vm,01": must match/ },
  'a VM name with =': { lab: vm('name: "vm=01"'), error: /vms\.bad\.name = "vm=01": must match/ },
  'an all-digit VM name': { lab: vm('name: "0042"'), error: /vms\.bad\.name = "0042": .*domain id/ },
  'an oversize VM name': { lab: vm(`name: ${'v'.repeat(65)}`), error: /vms\.bad\.name = "v{65}": .*at most 64 characters/ },
  'the name Domain-0': { lab: vm('name: Domain-0'), error: /vms\.bad\.name = "Domain-0": .*dom0's own name/ },
  'a stack name with ..': { lab: edit('name: lab', 'name: ../lab'), error: /name = "\.\.\/lab": must match/ },
  'a stack name with /': { lab: edit('name: lab', 'name: a/b'), error: /name = "a\/b": must match/ },
  'a network name with /': { lab: edit('lan: { kind: bridged,', 'lan: { name: "l/an", kind: bridged,'), error: /networks\.lan\.name = "l\/an": must match/ },
  'a reserved LV name (snapshot…)': { lab: vm('rootDisk: { name: snapshot-root }'), error: /vms\.bad\.rootDisk\.name = "snapshot-root": LVM reserves logical volume names starting with "snapshot"/ },
  'a reserved LV name (_tmeta)': { lab: vm('rootDisk: { name: root_tmeta }'), error: /vms\.bad\.rootDisk\.name = "root_tmeta": LVM reserves logical volume names containing "_tmeta"/ },
  'a derived LV name that is reserved': { lab: vm('name: pvmove1'), error: /vms\.bad\.rootDisk\.name = "pvmove1-disk": LVM reserves .*derived from the VM name/ },
  'an LV name with /': { lab: vm('rootDisk: { name: a/b }'), error: /vms\.bad\.rootDisk\.name = "a\/b": LVM logical volume names use only/ },
  'an LV name of ..': { lab: vm('rootDisk: { name: ".." }'), error: /vms\.bad\.rootDisk\.name = "\.\.": LVM logical volume names/ },
  'an oversize LV name': { lab: vm(`rootDisk: { name: ${'l'.repeat(128)} }`), error: /vms\.bad\.rootDisk\.name = "l{128}": .*at most 127 characters/ },
  'a volume group with a leading dash': { lab: vm('rootDisk: { volumeGroup: -vg }'), error: /vms\.bad\.rootDisk\.volumeGroup = "-vg": .*must not start with "-"/ },
  'a bridge name with a space': { lab: edit('bridge: xenbr0', 'bridge: "xen br0"'), error: /networks\.lan\.bridge = "xen br0": interface names/ },
  'an oversize bridge name': { lab: edit('bridge: xenbr0', 'bridge: xenbridge-number-0'), error: /networks\.lan\.bridge = "xenbridge-number-0": interface names are 1-15/ },
  'an interface name with a colon': { lab: edit('hostInterface: eth0', 'hostInterface: "eth0:1"'), error: /networks\.lan\.hostInterface = "eth0:1": interface names/ },
  // Lab file format
  'a CRLF lab file': { lab: valid.replace(/\n/g, '\r\n'), error: /\(file\) = "CRLF line endings": lab files use LF line endings only/ },
  'a YAML alias blow-up': {
    lab: `name: lab\n${Array.from({ length: 10 }, (_, i) => `a${i}: &a${i} [${i === 0 ? 'x, x, x, x, x, x, x, x, x' : Array(9).fill(`*a${i - 1}`).join(', ')}]`).join('\n')}\n`,
    error: /\(syntax\) = "aliases": .*at most 50 alias expansions/,
  },
  'non-UTF-8 text': { lab: Buffer.concat([Buffer.from('name: l'), Buffer.from([0xff, 0xfe]), Buffer.from('ab\n')]), error: /\(file\) = ".*lab\.yaml": a lab file must be UTF-8 text/ },
  'an unknown top-level key': { lab: `${valid}machines: {}\n`, error: /machines = \{\}: is not a known key here/ },
  'an unknown VM key': { lab: vm('colour: blue'), error: /vms\.bad\.colour = "blue": is not a known key here/ },
  'an unknown network key': { lab: edit('hostInterface: eth0 }', 'hostInterface: eth0, mtu: 9000 }'), error: /networks\.lan\.mtu = 9000: is not a known key here/ },
  'an unknown network kind': { lab: edit('kind: bridged', 'kind: wifi'), error: /networks\.lan\.kind = "wifi": must be one of "bridged", "routed", "nat"/ },
  'a duplicate key': { lab: `${valid}name: again\n`, error: /\(syntax\) = "DUPLICATE_KEY": Map keys must be unique/ },
  'a YAML syntax error': { lab: `${valid}vms: [\n`, error: /\(syntax\) = "/ },
  'a wrong file extension': { lab: valid, ext: '.txt', error: /\(file\) = "\.txt": a lab file ends in \.yaml, \.yml or \.json/ },
  'a missing name': { lab: valid.replace('name: lab\n', ''), error: /name = undefined: is required/ },
  // Sizes and ranges
  'a negative size': { lab: vm('rootDisk: { size: -1G }'), error: /vms\.bad\.rootDisk\.size = "-1G": must be a whole number followed by a binary unit/ },
  'a zero size': { lab: vm('rootDisk: { size: 0G }'), error: /vms\.bad\.rootDisk\.size = "0G": must be a whole number/ },
  'a fractional size': { lab: vm('rootDisk: { size: 1.5G }'), error: /vms\.bad\.rootDisk\.size = "1\.5G": must be a whole number/ },
  'an absurd size': { lab: vm('rootDisk: { size: 100000T }'), error: /vms\.bad\.rootDisk\.size = "100000T": .*from 4M to 64T/ },
  'a size without a unit': { lab: edit('size: 20G', 'size: "20"'), error: /volumes\.data\.size = "20": must be a whole number followed by a binary unit/ },
  'a numeric size': { lab: edit('size: 20G', 'size: 20000000000'), error: /volumes\.data\.size = 20000000000: must be of type string/ },
  'negative memory': { lab: vm('memoryMiB: -512'), error: /vms\.bad\.memoryMiB = -512: must be a whole number of MiB from 16/ },
  'zero memory': { lab: vm('memoryMiB: 0'), error: /vms\.bad\.memoryMiB = 0: must be a whole number of MiB/ },
  'fractional memory': { lab: vm('memoryMiB: 512.5'), error: /vms\.bad\.memoryMiB = 512\.5: must be a whole number/ },
  'absurd memory': { lab: vm('memoryMiB: 99999999999'), error: /vms\.bad\.memoryMiB = 99999999999: must be a whole number of MiB from 16 to 4194304/ },
  'zero vCPUs': { lab: vm('vcpus: 0'), error: /vms\.bad\.vcpus = 0: must be a whole number of virtual CPUs from 1 to 128/ },
  'too many vCPUs': { lab: vm('vcpus: 4096'), error: /vms\.bad\.vcpus = 4096: must be a whole number of virtual CPUs/ },
  // Addresses
  'an IP outside its subnet': { lab: edit('ip: 10.0.10.2', 'ip: 10.0.11.2'), error: /vms\.vm02\.interfaces\[0\]\.ip = "10\.0\.11\.2": must be inside the network 10\.0\.10\.0\/24/ },
  'the network address as a guest IP': { lab: edit('ip: 10.0.10.2', 'ip: 10.0.10.0'), error: /vms\.vm02\.interfaces\[0\]\.ip = "10\.0\.10\.0": is the network address/ },
  'a malformed IP': { lab: edit('ip: 10.0.10.2', 'ip: 10.0.10.256'), error: /vms\.vm02\.interfaces\[0\]\.ip = "10\.0\.10\.256": must be an IPv4 address/ },
  'a duplicated IP': { lab: vm('interfaces: [ { network: routed, ip: 10.0.10.2 } ]'), error: /vms\.bad\.interfaces\[0\]\.ip = "10\.0\.10\.2": IP addresses must be unique in the stack, and lab\/vm02 already uses it/ },
  'a routed interface without an IP': { lab: vm('interfaces: [ { network: routed } ]'), error: /vms\.bad\.interfaces\[0\]\.ip = undefined: is required: a routed network/ },
  'a NAT interface without an IP': { lab: vm('interfaces: [ { network: nat } ]'), error: /vms\.bad\.interfaces\[0\]\.ip = undefined: is required: a nat network .*last octet is 1-127/ },
  'a NAT IP whose gateway would overflow': { lab: vm('interfaces: [ { network: nat, ip: 10.0.20.200 } ]'), error: /vms\.bad\.interfaces\[0\]\.ip = "10\.0\.20\.200": a NAT guest's last octet must be 1-127: .*200 \+ 127 = 327/ },
  'a subnet with host bits set': { lab: edit('subnet: 10.0.10.0/24', 'subnet: 10.0.10.1/24'), error: /networks\.routed\.subnet = "10\.0\.10\.1\/24": must be an IPv4 network in CIDR notation/ },
  'a duplicate MAC': { lab: edit('interfaces: [ { network: lan } ]', 'interfaces: [ { network: lan, mac: "00:16:3e:00:00:01" }, { network: lan, mac: "00:16:3E:00:00:01" } ]'), error: /vms\.vm01\.interfaces\[1\]\.mac = "00:16:3e:00:00:01": MAC addresses must be unique/ },
  'a multicast MAC': { lab: edit('interfaces: [ { network: lan } ]', 'interfaces: [ { network: lan, mac: "01:00:5e:00:00:01" } ]'), error: /vms\.vm01\.interfaces\[0\]\.mac = "01:00:5e:00:00:01": must be six hex octets .*multicast bit/ },
  'a MAC smuggling a vif key': { lab: edit('interfaces: [ { network: lan } ]', 'interfaces: [ { network: lan, mac: "00:16:3e:00:00:01,script=evil" } ]'), error: /vms\.vm01\.interfaces\[0\]\.mac = "00:16:3e:00:00:01,script=evil": must be six hex octets/ },
  // Duplicates and sharing
  'a duplicate VM name': { lab: vm('name: vm01'), error: /vms\.bad\.name = "vm01": VM names must be unique in the stack, and lab\/vm01 already uses it/ },
  'a duplicate LV path': { lab: vm('rootDisk: { name: vm01-disk }'), error: /vms\.bad\.rootDisk\.name = "vm01-disk": logical volumes \(\/dev\/vg0\/vm01-disk\) must be unique/ },
  'a volume attached read-write twice': { lab: vm('volumes: [ { volume: data } ]').replace('{ volume: data, readOnly: true }', '{ volume: data }'), error: /vms\.bad\.volumes\[0\] = "lab\/data": is already attached to lab\/vm01 read-write; under xl a volume shared by several guests must be read-only/ },
  'one id in two sections': { lab: edit('  data: { size: 20G }', '  vm01: { size: 20G }').replace('{ volume: data, readOnly: true }', '{ volume: vm01, readOnly: true }'), error: /vms\.vm01 = "vm01": ids must be unique across hosts, networks, volumes and vms, and volumes\.vm01 uses it/ },
  'a reference to an undefined network': { lab: vm('interfaces: [ { network: wan } ]'), error: /vms\.bad\.interfaces\[0\]\.network = "wan": must name one of the networks of this file \(lan, routed, nat\)/ },
  // Boot and paths
  'a relative ISO path': { lab: vm('type: hvm\nboot: { iso: debian.iso }'), error: /vms\.bad\.boot\.iso = "debian\.iso": must be an absolute path/ },
  'an ISO path with ..': { lab: vm('type: hvm\nboot: { iso: /srv/../etc/shadow }'), error: /vms\.bad\.boot\.iso = "\/srv\/\.\.\/etc\/shadow": must be an absolute path .*"\/\.\.\/"/ },
  'an ISO path ending in a comma': { lab: vm('type: hvm\nboot: { iso: "/srv/iso/debian," }'), error: /vms\.bad\.boot\.iso = "\/srv\/iso\/debian,": must not end with "," \(xl drops a trailing comma from a disk target\)/ },
  'a kernel command line with a newline': { lab: vm('boot: { installer: { name: i, kernel: /boot/k, extra: "a\\nbootloader=evil" } }'), error: /vms\.bad\.boot\.installer\.extra = "a\\nbootloader=evil": must be text without control characters/ },
  'a kernel URL that is not http(s)': { lab: vm('boot: { installer: { name: i, kernel: "file:///etc/passwd" } }'), error: /vms\.bad\.boot\.installer\.kernel = "file:\/\/\/etc\/passwd": must be an http:\/\/ or https:\/\/ URL/ },
  'an installer boot on an HVM guest': { lab: vm('type: hvm\nboot: { installer: debian-12 }'), error: /vms\.bad\.boot = "installer": boots only PV and PVH guests/ },
  'a state file inside the output directory': { lab: edit('name: lab', 'name: lab\nstateFile: terraform.tfstate'), error: /stateFile = "terraform\.tfstate": must be a relative path that leads out of the output directory/ },
  'an absolute state file': { lab: edit('name: lab', 'name: lab\nstateFile: /etc/passwd'), error: /stateFile = "\/etc\/passwd": must be a relative path/ },
  'a state file with Terraform syntax': { lab: edit('name: lab', 'name: lab\nstateFile: "../../../${file(\\"/etc/shadow\\")}"'), error: /stateFile = "\.\.\/\.\.\/\.\.\/\$\{file\(\\"\/etc\/shadow\\"\)\}": must be a relative path/ },
  'a lab file that is a device': { setup: (dir) => symlinkSync('/dev/zero', join(dir, 'zero.yaml')), args: () => ['--file', 'zero.yaml', '--out', 'out'], error: /\(file\) = "zero\.yaml": must be a regular file/ },
  // TypeScript API
  'a VM name with / (TypeScript)': {
    app: `const { LabStack, VirtualMachine } = require(${lib});\nexports.stacks = [{ id: 'ts', define: (s, id) => { const l = new LabStack(s, id); new VirtualMachine(l, 'vm', { name: 'a/../b' }); return l; } }];`,
    error: /ts\/vm: name = "a\/\.\.\/b": must match/,
  },
  'a size as a number (TypeScript)': {
    app: `const { LabStack, Volume } = require(${lib});\nexports.stacks = [{ id: 'ts', define: (s, id) => { const l = new LabStack(s, id); new Volume(l, 'v', { size: 10 }); return l; } }];`,
    error: /ts\/v: size = 10: must be a whole number followed by a binary unit/,
  },
  'memory as text (TypeScript)': {
    app: `const { LabStack, VirtualMachine } = require(${lib});\nexports.stacks = [{ id: 'ts', define: (s, id) => { const l = new LabStack(s, id); new VirtualMachine(l, 'vm', { memoryMiB: '1024' }); return l; } }];`,
    error: /ts\/vm: memoryMiB = "1024": must be a whole number of MiB/,
  },
  'a stack id with a space (TypeScript)': {
    app: `const { LabStack } = require(${lib});\nexports.stacks = [{ id: 'my lab', define: (s, id) => new LabStack(s, id) }];`,
    error: /my lab: id = "my lab": must match/,
  },
  // Command line
  'an output path that is the project directory': { lab: valid, args: () => ['--out', '.'], error: /output directory = ".*": must not be the current directory or contain it/ },
  'an output path above the project': { lab: valid, args: () => ['--out', '..'], error: /output directory = ".*": must not be the current directory or contain it/ },
  'an output path through a symbolic link': {
    lab: valid, setup: (dir) => symlinkSync(join(dir, 'out'), join(dir, 'link')), args: () => ['--out', 'link'],
    error: /output directory = ".*link": must not be a symbolic link/,
  },
  'an output path that is a file': { lab: valid, setup: (dir) => writeFileSync(join(dir, 'file'), 'x'), args: () => ['--out', 'file'], error: /output directory = ".*file": exists and is not a directory/ },
  'an output path holding other files': {
    lab: valid, setup: (dir) => { mkdirSync(join(dir, 'docs')); writeFileSync(join(dir, 'docs', 'a.txt'), 'x'); }, args: () => ['--out', 'docs'],
    error: /output directory = ".*docs": holds a\.txt, which no synth output has/,
  },
  'a lab file that does not exist': { args: () => ['--file', 'missing.yaml'], error: /\(file\) = "missing\.yaml": cannot be read: ENOENT/ },
};

describe('bad input', () => {
  let scratch: string;
  beforeAll(() => { scratch = mkdtempSync(join(tmpdir(), 'virtlab-bad-')); });
  afterAll(() => rmSync(scratch, { recursive: true, force: true }));

  it('has a catalog of at least 60 cases', () => {
    expect(Object.keys(cases).length).toBeGreaterThanOrEqual(60);
  });

  it.each(Object.entries(cases).map(([name, c], i) => [name, c, i] as const))('%s: exit 1, an error naming field, value and rule, and nothing written', async (_name, c, i) => {
    const dir = join(scratch, `case-${i}`);
    mkdirSync(dir);
    const previous = await runIn(dir, ['synth', '--file', 'good.yaml', '--out', 'out', '--quiet'], () => writeFileSync(join(dir, 'good.yaml'), valid));
    expect(previous.code).toBe(0);
    const args: string[] = [];
    if (c.lab !== undefined) {
      writeFileSync(join(dir, `lab${c.ext ?? '.yaml'}`), c.lab);
      args.push('--file', `lab${c.ext ?? '.yaml'}`);
    }
    if (c.app !== undefined) {
      writeFileSync(join(dir, 'app.js'), c.app);
      args.push('--app', join(dir, 'app.js'));
    }
    c.setup?.(dir);
    const before = readTree(dir);
    const result = await runIn(dir, ['synth', ...args, ...(c.args?.(dir) ?? ['--out', 'out'])]);
    expect(result.err).toMatch(/^virtlab: invalid input, nothing was written:\n/);
    expect(result.err).toMatch(c.error);
    expect(result.code).toBe(1);
    expect(readTree(dir)).toEqual(before);
  });
});

/** Runs the CLI in-process with `dir` as the working directory. */
async function runIn(dir: string, args: string[], prepare?: () => void): Promise<{ code: number; out: string; err: string }> {
  const cwd = process.cwd();
  process.chdir(dir);
  let out = '';
  let err = '';
  try {
    prepare?.();
    const code = await run(args, { out: (t) => { out += t; }, err: (t) => { err += t; } });
    return { code, out, err };
  } finally {
    process.chdir(cwd);
  }
}
