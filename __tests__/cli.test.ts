import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';

const root = resolve(__dirname, '..');
const virtlab = (args: string[], cwd = scratch) => spawnSync(process.execPath, [join(root, 'bin', 'virtlab'), ...args], { cwd, encoding: 'utf8' });

let scratch: string;
let brokenApp: string;
beforeAll(() => {
  if (!existsSync(join(root, 'dist', 'lib', 'cli', 'cli.js'))) throw new Error('dist/ is missing: run `npm run build` (npm test does)');
  scratch = mkdtempSync(join(tmpdir(), 'virtlab-cli-'));
  brokenApp = join(scratch, 'broken-app.js');
  writeFileSync(brokenApp, `
const { LabStack, VirtualMachine, RoutedNetwork } = require(${JSON.stringify(join(root, 'dist', 'lib'))});
exports.stacks = [{ id: 'broken', define: (scope, id) => {
  const lab = new LabStack(scope, id);
  const routed = new RoutedNetwork(lab, 'routed', { subnet: '10.0.10.0/24' });
  new VirtualMachine(lab, 'vm01', { memoryMiB: 0, interfaces: [{ network: routed }] });
  return lab;
} }];
`);
});
afterAll(() => rmSync(scratch, { recursive: true, force: true }));

describe('virtlab CLI', () => {
  it('explains itself with --help', () => {
    const help = virtlab(['--help']);
    expect(help.status).toBe(0);
    expect(help.stdout).toMatch(/virtlab synth \[stacks\.\.\]/);
    expect(help.stdout).toMatch(/virtlab list/);
    expect(help.stdout).toMatch(/virtlab validate/);
  });

  it.each(['synth', 'list', 'validate'])('has --help for %s', (command) => {
    const help = virtlab([command, '--help']);
    expect(help.status).toBe(0);
    expect(help.stdout).toContain(`virtlab ${command} [stacks..]`);
    expect(help.stdout).toContain('--app');
  });

  it('synthesizes the example lab into cdktf.out by default, exit 0', () => {
    const cwd = mkdtempSync(join(scratch, 'project-'));
    const result = virtlab(['synth'], cwd);
    expect(result.stderr).toBe('');
    expect(result.status).toBe(0);
    expect(result.stdout).toMatch(/^Synthesized xen-lab, libvirt-lab into .*cdktf\.out \(\d+ files\)/);
    expect(readdirSync(join(cwd, 'cdktf.out', 'stacks', 'xen-lab', 'xen'))).toContain('vm01.cfg');
    expect(readdirSync(join(cwd, 'cdktf.out', 'stacks', 'libvirt-lab'))).toContain('cdk.tf.json');
  });

  it('writes to --out and prints nothing with --quiet', () => {
    const out = join(scratch, 'custom-out');
    const result = virtlab(['synth', 'xen-lab', '--out', out, '--quiet']);
    expect([result.status, result.stdout, result.stderr]).toEqual([0, '', '']);
    expect(existsSync(join(out, 'stacks', 'xen-lab', 'cdk.tf.json'))).toBe(true);
  });

  it('lists stacks with VMs, networks and volumes', () => {
    const list = virtlab(['list']);
    expect(list.status).toBe(0);
    expect(list.stdout).toMatch(/^xen-lab - /);
    expect(list.stdout).toMatch(/vm01: pv, 1024 MiB, 2 vCPU; boot: installer debian-12, then pygrub/);
    expect(list.stdout).toMatch(/routed: routed, gatewaydev xenbr0, 10\.0\.10\.0\/24/);
    expect(list.stdout).toMatch(/shared-data: \/dev\/vg0\/shared-data, 20G, attached to vm01 \(ro\), vm02 \(ro\)/);
    const json = JSON.parse(virtlab(['list', '--json']).stdout);
    expect(json[0].vms.map((vm: { name: string }) => vm.name)).toEqual(['vm01', 'vm02', 'vm03']);
  });

  it('validates without writing anything', () => {
    const cwd = mkdtempSync(join(scratch, 'validate-'));
    const result = virtlab(['validate'], cwd);
    expect([result.status, result.stdout]).toEqual([0, 'xen-lab, libvirt-lab: valid\n']);
    expect(readdirSync(cwd)).toEqual([]);
  });

  it.each([['synth'], ['validate'], ['list']])('exits 1 on invalid input with every error on stderr and writes nothing (%s)', (command) => {
    const cwd = mkdtempSync(join(scratch, 'invalid-'));
    const result = virtlab([command, '--app', brokenApp], cwd);
    expect(result.status).toBe(1);
    expect(result.stdout).toBe('');
    expect(result.stderr).toBe([
      'virtlab: invalid input, nothing was written:',
      '  broken/vm01: memoryMiB = 0: must be a whole number of MiB from 16 to 4194304',
      '  broken/vm01: interfaces[0].ip = undefined: is required: a routed network (broken/routed) gives each guest a static IPv4 address',
      '',
    ].join('\n'));
    expect(readdirSync(cwd)).toEqual([]);
  });

  it('exits 1 on an output directory it must not replace, naming it and the rule', () => {
    const result = virtlab(['synth', '--out', '.']);
    expect(result.status).toBe(1);
    expect(result.stderr).toMatch(/^virtlab: invalid input, nothing was written:\n  .*: output directory = ".*": must not be the current directory or contain it/);
  });

  it('reports two constructs with one id as invalid input, not a crash', () => {
    const app = join(scratch, 'duplicate-app.js');
    writeFileSync(app, `
const { LabStack, VirtualMachine } = require(${JSON.stringify(join(root, 'dist', 'lib'))});
exports.stacks = [{ id: 'dup', define: (scope, id) => { const lab = new LabStack(scope, id); new VirtualMachine(lab, 'a'); new VirtualMachine(lab, 'a'); return lab; } }];
`);
    const result = virtlab(['validate', '--app', app]);
    expect([result.status, result.stderr]).toEqual([1, 'virtlab: invalid input, nothing was written:\n  dup: id = "a": construct ids must be unique within their scope\n']);
  });

  it.each([
    [['synth', '--out', ''], /--out needs a directory/],
    [['frobnicate'], /Unknown argument: frobnicate/],
    [[], /Name a command: init, synth, plan, list or validate/],
    [['synth', 'no-such-stack'], /unknown stack "no-such-stack"; known stacks: xen-lab, libvirt-lab/],
    [['synth', '--bogus'], /Unknown argument: bogus/],
    [['synth', '--app', '/nonexistent/app.js'], /--app \/nonexistent\/app\.js: no such module/],
  ])('exits 2 on usage errors: %j', (args, message) => {
    const result = virtlab(args);
    expect(result.status).toBe(2);
    expect(result.stderr).toMatch(message);
    expect(result.stderr).toMatch(/Run 'virtlab --help' for usage/);
  });
});
