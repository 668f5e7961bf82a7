import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, statSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { NatNetwork, StackDefinition, ValidationError, VirtualMachine, synthesizeStacks, LabStack } from '../lib';
import { stacks } from '../stacks';
import { edgeLab } from './support/labs';
import { modesOf, readTree } from './support/output';

const root = resolve(__dirname, '..');
let scratch: string;
beforeAll(() => { scratch = mkdtempSync(join(tmpdir(), 'virtlab-synth-test-')); });
afterAll(() => rmSync(scratch, { recursive: true, force: true }));

const synthTo = (name: string, definitions: readonly StackDefinition[] = stacks) => {
  const outdir = join(scratch, name);
  synthesizeStacks(definitions, outdir);
  return outdir;
};

describe('synthesizing the example labs', () => {
  // One snapshot per file so a reviewer reads each xl.cfg, script and cdk.tf.json on its own.
  it.each([...stacks, edgeLab].map((d) => [d.id, d] as const))('%s matches its reviewed snapshot', (_id, definition) => {
    const files = readTree(synthTo(`snap-${definition.id}`, [definition]));
    expect(Object.keys(files)).toMatchSnapshot('file list');
    for (const [path, content] of Object.entries(files)) expect(content).toMatchSnapshot(path);
  });

  it('writes the classic lab: vm01 with an install-phase cfg and a pygrub cfg, and dom0 files', () => {
    const out = synthTo('layout');
    const files = Object.keys(readTree(out));
    expect(files).toEqual(expect.arrayContaining([
      'manifest.json', 'stacks/xen-lab/cdk.tf.json',
      'stacks/xen-lab/xen/vm01.install.cfg', 'stacks/xen-lab/xen/vm01.cfg',
      'stacks/xen-lab/xen/dom0/provision.sh', 'stacks/xen-lab/xen/dom0/interfaces',
      'stacks/xen-lab/xen/dom0/sysctl.conf', 'stacks/xen-lab/xen/dom0/xl.conf',
    ]));
    expect(modesOf(out, ['stacks/xen-lab/xen/dom0/provision.sh', 'stacks/xen-lab/xen/vm01.cfg'])).toEqual({
      'stacks/xen-lab/xen/dom0/provision.sh': '755', 'stacks/xen-lab/xen/vm01.cfg': '644',
    });
  });

  it('never gives the pygrub cfg a kernel, ramdisk or extra (libxl would pass them to pygrub)', () => {
    const cfg = readTree(synthTo('pygrub'))['stacks/xen-lab/xen/vm01.cfg'];
    expect(cfg).toMatch(/^bootloader = "pygrub"$/m);
    expect(cfg).not.toMatch(/^(kernel|ramdisk|extra) =/m);
  });

  // cdk.tf.json and manifest.json are cdktf's own, byte for byte as `cdktf synth` writes them.
  it('writes LF line endings and exactly one final newline in every Xen file', () => {
    const xenFiles = Object.entries(readTree(synthTo('endings', [...stacks, edgeLab]))).filter(([path]) => path.includes('/xen/'));
    expect(xenFiles.length).toBeGreaterThan(10);
    for (const [path, content] of xenFiles) {
      expect([path, content.includes('\r'), content.endsWith('\n'), content.endsWith('\n\n')]).toEqual([path, false, true, false]);
    }
  });

  it('is deterministic: two synths are byte-identical, wherever they run', () => {
    const first = readTree(synthTo('det-1', [...stacks, edgeLab]));
    const second = readTree(synthTo('det-2', [...stacks, edgeLab]));
    expect(second).toEqual(first);
    expect(JSON.stringify(first)).not.toContain(scratch);
    expect(JSON.stringify(first)).not.toContain(root);
  });

  it('gives the same files as `cdktf synth` running the compiled app (main.ts)', () => {
    const mainJs = join(root, 'dist', 'main.js');
    if (!existsSync(mainJs)) throw new Error('dist/main.js is missing: run `npm run build` (npm test does)');
    const viaCdktf = join(scratch, 'cdktf-app');
    const run = spawnSync(process.execPath, [mainJs], { env: { ...process.env, CDKTF_OUTDIR: viaCdktf }, encoding: 'utf8' });
    expect(run.stderr).toBe('');
    expect(run.status).toBe(0);
    expect(readTree(viaCdktf)).toEqual(readTree(synthTo('virtlab-cli')));
  });
});

describe('invalid input', () => {
  const brokenLab: StackDefinition = {
    id: 'broken',
    define: (scope, id) => {
      const lab = new LabStack(scope, id);
      const nat = new NatNetwork(lab, 'nat', { subnet: '10.0.0.0/24' });
      new VirtualMachine(lab, 'a', { interfaces: [{ network: nat, ip: '10.0.0.5' }] });
      new VirtualMachine(lab, 'b', { interfaces: [{ network: nat, ip: '10.0.0.5' }] });
      return lab;
    },
  };

  it('writes nothing at all when the output directory does not exist yet', () => {
    const outdir = join(scratch, 'never');
    expect(() => synthesizeStacks([...stacks, brokenLab], outdir)).toThrow(ValidationError);
    expect(existsSync(outdir)).toBe(false);
  });

  it('leaves a previous output byte-identical, even when valid stacks come first', () => {
    const outdir = synthTo('kept');
    const before = readTree(outdir);
    expect(() => synthesizeStacks([...stacks, brokenLab], outdir)).toThrow(/IP addresses must be unique/);
    expect(readTree(outdir)).toEqual(before);
  });

  it('refuses to replace a directory that is not a previous synth output', () => {
    const precious = join(scratch, 'precious');
    mkdirSync(precious);
    writeFileSync(join(precious, 'thesis.tex'), 'do not delete');
    expect(() => synthesizeStacks(stacks, precious)).toThrow(/holds thesis\.tex, which no synth output has/);
    expect(readTree(precious)).toEqual({ 'thesis.tex': 'do not delete' });
  });

  it('drops files of VMs that no longer exist, since the output is replaced as a whole', () => {
    const outdir = synthTo('shrink', [edgeLab]);
    const small: StackDefinition = { id: 'edge-lab', define: (scope, id) => { const lab = new LabStack(scope, id); new VirtualMachine(lab, 'only'); return lab; } };
    synthesizeStacks([small], outdir);
    expect(Object.keys(readTree(outdir)).filter((p) => p.endsWith('.cfg'))).toEqual(['stacks/edge-lab/xen/only.cfg', 'stacks/edge-lab/xen/only.install.cfg']);
  });
});

describe('the output directory', () => {
  it('refuses a directory holding anything a synth output does not, even with a manifest.json', () => {
    const app = join(scratch, 'someones-app');
    mkdirSync(join(app, 'src'), { recursive: true });
    writeFileSync(join(app, 'manifest.json'), '{}');
    expect(() => synthesizeStacks(stacks, app)).toThrow(/output directory = ".*someones-app": holds src, which no synth output has/);
    expect(readTree(app)).toEqual({ 'manifest.json': '{}' });
  });

  it('refuses the current directory and its parents', () => {
    const cwd = process.cwd();
    const inside = mkdtempSync(join(scratch, 'cwd-'));
    process.chdir(inside);
    try {
      expect(() => synthesizeStacks(stacks, '.')).toThrow(/must not be the current directory or contain it/);
      expect(() => synthesizeStacks(stacks, '..')).toThrow(/must not be the current directory or contain it/);
    } finally {
      process.chdir(cwd);
    }
  });

  it('refuses a symbolic link, leaving what it points to alone', () => {
    const real = synthTo('link-target');
    const link = join(scratch, 'link');
    symlinkSync(real, link);
    expect(() => synthesizeStacks(stacks, link)).toThrow(/must not be a symbolic link/);
  });

  it('keeps stacks not synthesized this time, and Terraform\'s working files', () => {
    const outdir = synthTo('partial');
    mkdirSync(join(outdir, 'stacks', 'libvirt-lab', '.terraform', 'providers'), { recursive: true });
    writeFileSync(join(outdir, 'stacks', 'libvirt-lab', '.terraform.lock.hcl'), 'lock');
    const xenLabBefore = readTree(join(outdir, 'stacks', 'xen-lab'));
    synthesizeStacks(stacks.filter((d) => d.id === 'libvirt-lab'), outdir);
    expect(readTree(join(outdir, 'stacks', 'xen-lab'))).toEqual(xenLabBefore);
    expect(Object.keys(JSON.parse(readFileSync(join(outdir, 'manifest.json'), 'utf8')).stacks)).toEqual(['libvirt-lab', 'xen-lab']);
    expect(readFileSync(join(outdir, 'stacks', 'libvirt-lab', '.terraform.lock.hcl'), 'utf8')).toBe('lock');
    expect(existsSync(join(outdir, 'stacks', 'libvirt-lab', '.terraform', 'providers'))).toBe(true);
  });

  it('is as readable as any directory the user makes (not private to its owner)', () => {
    const mode = statSync(synthTo('mode')).mode & 0o777;
    expect(mode).toBe(0o777 & ~process.umask());
  });
});

