import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { parse as parseYaml } from 'yaml';
import { ValidationError, formatIssue, synthesizeStacks } from '../lib';
import { labFileStack } from '../lib/labfile/define';
import { LAB_FILE_SCHEMA } from '../lib/labfile/schema';
import { stacks } from '../stacks';
import { readTree } from './support/output';

const root = resolve(__dirname, '..');
let scratch: string;
beforeAll(() => { scratch = mkdtempSync(join(tmpdir(), 'virtlab-labfile-')); });
afterAll(() => rmSync(scratch, { recursive: true, force: true }));

const write = (name: string, text: string | Buffer) => {
  const file = join(scratch, name);
  writeFileSync(file, text);
  return file;
};

/** The messages a lab file's problems produce, as `virtlab validate` prints them. */
function problemsOf(file: string): string[] {
  try {
    const definition = labFileStack(file);
    synthesizeStacks([definition], join(scratch, `never-${Math.random()}`));
  } catch (error) {
    if (error instanceof ValidationError) return error.issues.map(formatIssue);
    throw error;
  }
  throw new Error('expected the lab file to be rejected');
}

describe('a lab file', () => {
  const yamlTwin = join(root, 'stacks', 'xen-lab.yaml');

  it('synthesizes byte-identical output to its TypeScript twin', () => {
    const fromTypeScript = readTree(synthesizeStacks(stacks.filter((s) => s.id === 'xen-lab'), join(scratch, 'ts')).outdir);
    const fromYaml = readTree(synthesizeStacks([labFileStack(yamlTwin)], join(scratch, 'yaml')).outdir);
    expect(Object.keys(fromYaml).length).toBeGreaterThan(5);
    expect(fromYaml).toEqual(fromTypeScript);
  });

  it('may be JSON, with the same result', () => {
    const json = write('xen-lab.json', JSON.stringify(parseYaml(readFileSync(yamlTwin, 'utf8')), null, 2));
    expect(readTree(synthesizeStacks([labFileStack(json)], join(scratch, 'json')).outdir))
      .toEqual(readTree(synthesizeStacks([labFileStack(yamlTwin)], join(scratch, 'yaml2')).outdir));
  });

  it('reports schema problems with file, line, column, field, value and rule, all at once', () => {
    const file = write('schema.yaml', [
      'name: lab',
      'networks:',
      '  lan: { kind: bridged, brige: xenbr0 }',
      '  wan: { kind: wifi }',
      '  r: { kind: routed }',
      'vms:',
      '  vm01:',
      '    memoryMiB: lots',
      '    boot: { installer: debian-99 }',
      '',
    ].join('\n'));
    expect(problemsOf(file)).toEqual([
      `${file}:3:32: networks.lan.brige = "xenbr0": is not a known key here; allowed: kind, name, bridge, hostInterface, bridgeAddressing, subnet`,
      `${file}:4:16: networks.wan.kind = "wifi": must be one of "bridged", "routed", "nat"`,
      `${file}:5:6: networks.r.subnet = undefined: is required`,
      `${file}:8:16: vms.vm01.memoryMiB = "lots": must be a whole number`,
      `${file}:9:11: vms.vm01.boot = {"installer":"debian-99"}: must be "pygrub", "disk" (HVM), {installer: CATALOG-NAME or {...}} or {iso: PATH} (HVM)`,
    ]);
  });

  it('points the constructs\' own rules at the offending line', () => {
    const file = write('rules.yaml', [
      'name: lab',
      'networks:',
      '  nat: { kind: nat, subnet: 10.0.0.0/24 }',
      'vms:',
      '  vm01:',
      '    vcpus: 0',
      '    rootDisk: { size: 1.5G }',
      '  vm02:',
      '    interfaces:',
      '      - { network: nat, ip: 10.0.0.200 }',
      '      - { network: lan }',
      '',
    ].join('\n'));
    expect(problemsOf(file)).toEqual([
      `${file}:11:20: vms.vm02.interfaces[1].network = "lan": must name one of the networks of this file (nat)`,
    ]);
    writeFileSync(file, readFileSync(file, 'utf8').replace('      - { network: lan }\n', ''));
    expect(problemsOf(file)).toEqual([
      `${file}:6:12: vms.vm01.vcpus = 0: must be a whole number of virtual CPUs from 1 to 128`,
      `${file}:7:23: vms.vm01.rootDisk.size = "1.5G": must be a whole number followed by a binary unit K, M, G or T (e.g. "10G", "512M"), from 4M to 64T`,
      `${file}:10:29: vms.vm02.interfaces[0].ip = "10.0.0.200": a NAT guest's last octet must be 1-127: vif-nat makes the guest's gateway the address plus 127 in the last octet, and 200 + 127 = 327 is not a host address`,
    ]);
  });

  it('reports lab-wide problems at the VM that causes them', () => {
    const file = write('dup.yaml', 'name: lab\nvms:\n  a: {}\n  b: { name: a }\n');
    expect(problemsOf(file)).toEqual([
      `${file}:4:14: vms.b.name = "a": VM names must be unique in the stack, and lab/a already uses it`,
      `${file}:4:6: vms.b.rootDisk.name = "a-disk": logical volumes (/dev/vg0/a-disk) must be unique in the stack, and lab/a/RootDisk already uses it`,
    ]);
  });

  it.each([
    ['a YAML syntax error', 'bad.yaml', 'name: lab\nvms: [\n', /bad\.yaml:3:1: \(syntax\) = "BAD_INDENT": Flow sequence in block collection must be sufficiently indented and end with a \]/],
    ['a duplicate key', 'dupkey.yaml', 'name: lab\nname: other\n', /dupkey\.yaml:2:1: \(syntax\) = "DUPLICATE_KEY": Map keys must be unique/],
    ['a missing name', 'noname.yaml', 'vms: {}\n', /noname\.yaml:1:1: name = undefined: is required/],
    ['an unknown top-level key', 'top.yaml', 'name: lab\nmachines: {}\n', /top\.yaml:2:11: machines = \{\}: is not a known key here/],
    ['invalid JSON', 'bad.json', '{"name": "lab",}', /bad\.json: \(syntax\)/],
    ['a wrong extension', 'lab.txt', 'name: lab\n', /lab\.txt: \(file\) = "\.txt": a lab file ends in \.yaml, \.yml or \.json/],
    ['non-UTF-8 text', 'latin1.yaml', Buffer.from([0x6e, 0x61, 0x6d, 0x65, 0x3a, 0x20, 0xe9, 0x0a]), /latin1\.yaml: \(file\) = ".*latin1\.yaml": a lab file must be UTF-8 text/],
    ['a missing file', 'absent.yaml', undefined, /absent\.yaml: \(file\) = ".*absent\.yaml": cannot be read: ENOENT/],
  ] as const)('refuses %s', (_what, name, text, message) => {
    const file = text === undefined ? join(scratch, name) : write(name, text);
    expect(problemsOf(file).join('\n')).toMatch(message);
  });

  it('refuses a YAML alias blow-up', () => {
    const lines = ['name: lab', 'a0: &a0 [x, x, x, x, x, x, x, x, x, x]'];
    for (let i = 1; i < 12; i++) lines.push(`a${i}: &a${i} [${Array(10).fill(`*a${i - 1}`).join(', ')}]`);
    expect(problemsOf(write('bomb.yaml', `${lines.join('\n')}\n`)).join('\n')).toMatch(/alias/i);
  });

  it('has its schema published for editors in schema/lab.schema.json', () => {
    expect(JSON.parse(readFileSync(join(root, 'schema', 'lab.schema.json'), 'utf8'))).toEqual(JSON.parse(JSON.stringify(LAB_FILE_SCHEMA)));
  });
});
