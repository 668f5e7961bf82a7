import { spawnSync } from 'node:child_process';
import { chmodSync, cpSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';

/**
 * `virtlab plan` as a user runs it: a lab file is synthesized once (the baseline), edited, and
 * planned against the baseline. Each plan is a reviewed snapshot.
 */
const root = resolve(__dirname, '..');
const baseLab = readFileSync(join(__dirname, 'fixtures', 'plan-lab.yaml'), 'utf8');
let scratch: string;

const virtlab = (args: string[], cwd = scratch, env: NodeJS.ProcessEnv = process.env) =>
  spawnSync(process.execPath, [join(root, 'bin', 'virtlab'), ...args], { cwd, env, encoding: 'utf8' });

beforeAll(() => {
  scratch = mkdtempSync(join(tmpdir(), 'virtlab-plan-'));
  writeFileSync(join(scratch, 'lab.yaml'), baseLab);
  const synth = virtlab(['synth', '--file', 'lab.yaml', '--out', 'baseline', '--quiet']);
  if (synth.status !== 0) throw new Error(synth.stderr);
});
afterAll(() => rmSync(scratch, { recursive: true, force: true }));

/** Plans the base lab with `edit` applied, against the baseline. */
function planEdit(name: string, edit: (lab: string) => string, ...flags: string[]) {
  const edited = edit(baseLab);
  if (edited === baseLab && name !== 'unchanged') throw new Error(`the edit "${name}" changed nothing`);
  writeFileSync(join(scratch, `${name}.yaml`), edited);
  return virtlab(['plan', '--file', `${name}.yaml`, '--against', 'baseline', ...flags]);
}

const edits: Record<string, (lab: string) => string> = {
  'memory change': (lab) => lab.replace('memoryMiB: 1024', 'memoryMiB: 2048').replace('memoryMiB: 2048\n    boot: disk', 'memoryMiB: 4096\n    boot: disk'),
  'new VM': (lab) => `${lab}  vm03:\n    boot: pygrub\n    interfaces:\n      - network: lan\n`,
  'removed volume': (lab) => lab.replace('volumes:\n  data: { volumeGroup: vg0, size: 20G }\n', '').replace('    volumes:\n      - { volume: data }\n', ''),
  'renamed network': (lab) => lab.replace(/kvm-nat/g, 'kvm-net'),
  'changed installer': (lab) => lab.replace('installer: debian-12', 'installer: debian-13'),
  'resized volume': (lab) => lab.replace('data: { volumeGroup: vg0, size: 20G }', 'data: { volumeGroup: vg0, size: 40G }'),
};

/** Edits whose risk is on dom0 or in Terraform's settings rather than in resources. */
const subtle: Record<string, (lab: string) => string> = {
  'moved host': (lab) => lab.replace('kvm1: { hypervisor: kvm }', 'kvm1: { hypervisor: kvm, uri: "qemu+ssh://root@lab2/system" }'),
  'dropped protection': (lab) => lab.replace('data: { volumeGroup: vg0, size: 20G }', 'data: { volumeGroup: vg0, size: 20G, preventDestroy: false }'),
  'xl disk removed': (lab) => lab.replace('    boot: pygrub\n', '    boot: pygrub\n    disks: [ { size: 5G } ]\n'),
};

describe('virtlab plan', () => {
  it('shows no changes for the same lab, exit 0 (and 0 with --detailed-exitcode)', () => {
    for (const flags of [[], ['--detailed-exitcode']]) {
      const plan = planEdit('unchanged', (lab) => lab, ...flags);
      expect([plan.status, plan.stdout, plan.stderr]).toEqual([0, 'No changes against baseline: the lab and the baseline synthesize the same files.\n', '']);
    }
  });

  it.each(Object.keys(edits))('shows a %s', (name) => {
    const plan = planEdit(name.replace(/ /g, '-'), edits[name], '--allow-data-loss');
    expect(plan.stderr).toBe('');
    expect(plan.status).toBe(0);
    expect(plan.stdout).toMatchSnapshot();
  });

  it('counts like terraform: a memory change updates the domain in place', () => {
    const plan = planEdit('memory', edits['memory change']);
    expect(plan.stdout).toMatch(/# libvirt_domain\.kvm1_domain-web_\w+ will be updated in-place \(plan-lab\/kvm1\/domain-web\)\n~ resource "libvirt_domain" "kvm1_domain-web_\w+" \{\n    ~ memory = 2048 -> 4096\n  \}/);
    expect(plan.stdout).toMatch(/# vm01: vm01\.cfg will be changed\n--- a\/stacks\/plan-lab\/xen\/vm01\.cfg\n\+\+\+ b\/stacks\/plan-lab\/xen\/vm01\.cfg/);
    expect(plan.stdout).toMatch(/^-memory = 1024\n\+memory = 2048$/m);
    expect(plan.stdout).toMatch(/Plan: 0 to add, 1 to change, 0 to destroy\.\nXen files: 0 to add, 2 to change, 0 to remove\.\n$/);
  });

  it('refuses a plan that destroys a volume, exit 1, unless --allow-data-loss', () => {
    const refused = planEdit('refused', edits['removed volume']);
    expect(refused.status).toBe(1);
    expect(refused.stdout).toMatch(/# libvirt_volume\.kvm1_vg-vg0_data_\w+ will be destroyed \(plan-lab\/kvm1\/vg-vg0\/data\)\n# DATA LOSS: the data this resource holds is lost/);
    expect(refused.stdout).toMatch(/Data loss:\n  libvirt_volume\.kvm1_vg-vg0_data_\w+ \(plan-lab\/kvm1\/vg-vg0\/data\) will be destroyed: its data is lost/);
    expect(refused.stderr).toMatch(/^virtlab: refusing a plan that loses data \(libvirt_volume\.kvm1_vg-vg0_data_\w+\); review it and pass --allow-data-loss to accept\n$/);
    expect(planEdit('refused-detailed', edits['removed volume'], '--detailed-exitcode').status).toBe(1);
    expect(planEdit('allowed', edits['removed volume'], '--allow-data-loss', '--detailed-exitcode').status).toBe(2);
  });

  it('replaces a resized volume: a replacement, with data loss', () => {
    const plan = planEdit('resized', edits['resized volume'], '--allow-data-loss');
    expect(plan.stdout).toMatch(/# libvirt_volume\.kvm1_vg-vg0_data_\w+ must be replaced \(plan-lab\/kvm1\/vg-vg0\/data\)\n# DATA LOSS: the data this resource holds is lost\n-\/\+ resource "libvirt_volume" "kvm1_vg-vg0_data_\w+" \{\n    ~ capacity = 21474836480 -> 42949672960 # forces replacement\n  \}/);
    expect(plan.stdout).toMatch(/Plan: 1 to add, 0 to change, 1 to destroy\./);
  });

  it('shows changes to how Terraform reaches a host, and to protection against destroys', () => {
    const moved = planEdit('moved', subtle['moved host'], '--detailed-exitcode');
    expect(moved.status).toBe(2);
    expect(moved.stdout).toContain('Terraform settings changes in plan-lab (providers, backend):\n\n~ provider.libvirt[0].uri = "qemu:///system" -> "qemu+ssh://root@lab2/system"');
    const unprotected = planEdit('unprotected', subtle['dropped protection'], '--detailed-exitcode');
    expect(unprotected.status).toBe(2);
    expect(unprotected.stdout).toMatch(/~ resource "libvirt_volume" "kvm1_vg-vg0_data_\w+" \{\n    - lifecycle\.prevent_destroy = true -> null\n  \}/);
  });

  it('calls a guest losing its disk on dom0 data loss, and says what provision.sh will not do', () => {
    // vm02 gets an extra disk in the baseline of this spec, which the edit then removes.
    const withDisk = subtle['xl disk removed'](baseLab);
    writeFileSync(join(scratch, 'with-disk.yaml'), withDisk);
    expect(virtlab(['synth', '--file', 'with-disk.yaml', '--out', 'baseline-disk', '--quiet']).status).toBe(0);
    writeFileSync(join(scratch, 'without-disk.yaml'), baseLab.replace('name: plan-lab', 'name: plan-lab'));
    const refused = virtlab(['plan', '--file', 'without-disk.yaml', '--against', 'baseline-disk']);
    expect(refused.status).toBe(1);
    expect(refused.stdout).toContain('Data loss:\n  vm02 loses its disk xvdb (/dev/vg0/vm02-disk1)');
    expect(refused.stdout).toContain('# vg0/vm02-disk1 is no longer provisioned: provision.sh keeps it and its data (lvremove it by hand if intended)');
    expect(refused.stderr).toMatch(/refusing a plan that loses data \(vm02\)/);
    writeFileSync(join(scratch, 'bigger.yaml'), withDisk.replace('disks: [ { size: 5G } ]', 'disks: [ { size: 50G } ]'));
    const bigger = virtlab(['plan', '--file', 'bigger.yaml', '--against', 'baseline-disk']);
    expect(bigger.status).toBe(0);
    expect(bigger.stdout).toContain('# vg0/vm02-disk1 changes size 5G -> 50G: provision.sh never resizes an existing volume (lvextend it by hand)');
  });

  it('exits 1, not 2, on a usage error with --detailed-exitcode', () => {
    expect(virtlab(['plan', '--file', 'lab.yaml', '--against', 'nowhere', '--detailed-exitcode']).status).toBe(1);
    expect(virtlab(['plan', '--bogus', '--detailed-exitcode']).status).toBe(1);
  });

  it('exits 2 on changes with --detailed-exitcode, 0 without', () => {
    expect(planEdit('detailed', edits['new VM'], '--detailed-exitcode').status).toBe(2);
    expect(planEdit('plain', edits['new VM']).status).toBe(0);
  });

  it('exits 1 on invalid input and 2 on a missing baseline', () => {
    expect(planEdit('invalid', (lab) => lab.replace('memoryMiB: 1024', 'memoryMiB: 1')).status).toBe(1);
    const missing = virtlab(['plan', '--file', 'lab.yaml', '--against', 'nowhere']);
    expect([missing.status, missing.stderr]).toEqual([2, "virtlab: --against nowhere: not a synth output directory (no manifest.json)\nRun 'virtlab --help' for usage.\n"]);
  });

  it('prints JSON for machines', () => {
    const plan = JSON.parse(planEdit('json', edits['changed installer'], '--json').stdout);
    expect(plan.baseline).toBe('baseline');
    expect(plan.summary).toEqual({ add: 0, change: 0, destroy: 0, filesAdded: 0, filesChanged: 2, filesRemoved: 0 });
    expect(plan.stacks[0].files.map((f: { path: string; affects: string }) => [f.path, f.affects])).toEqual([['dom0/provision.sh', 'dom0 (all VMs)'], ['vm01.install.cfg', 'vm01']]);
  });

  it('prints Markdown for a pull-request comment', () => {
    expect(planEdit('markdown', edits['removed volume'], '--markdown', '--allow-data-loss').stdout).toMatchSnapshot();
  });

  it('runs terraform init and plan in each stack directory with --terraform, or says it is missing', () => {
    const bin = join(scratch, 'fake-bin');
    mkdirSync(bin, { recursive: true });
    writeFileSync(join(scratch, 'no-terraform.yaml'), edits['new VM'](baseLab));
    // PATH without any terraform: only the fake-bin directory and the system's.
    const missing = virtlab(['plan', '--file', 'no-terraform.yaml', '--against', 'baseline', '--terraform'], scratch, { ...process.env, PATH: `${bin}:/usr/bin:/bin` });
    expect(missing.stdout).toContain('terraform is not installed (not found on PATH): skipped `terraform init` and `terraform plan`.');
    writeFileSync(join(bin, 'terraform'), '#!/bin/sh\necho "fake terraform $* in $(basename "$PWD")"\n');
    chmodSync(join(bin, 'terraform'), 0o755);
    const fake = virtlab(['plan', '--file', 'no-terraform.yaml', '--against', 'baseline', '--terraform'], scratch, { ...process.env, PATH: `${bin}:/usr/bin:/bin` });
    expect(fake.status).toBe(0);
    expect(fake.stdout).toContain('fake terraform init -input=false -no-color in plan-lab');
    expect(fake.stdout).toContain('fake terraform plan -input=false -no-color -lock=false in plan-lab');
  });

  it('plans against a git revision with --base, in a temporary worktree', () => {
    const repo = mkdtempSync(join(scratch, 'repo-'));
    const git = (...args: string[]) => {
      const run = spawnSync('git', ['-c', 'user.name=t', '-c', 'user.email=t@t.invalid', ...args], { cwd: repo, encoding: 'utf8' });
      if (run.status !== 0) throw new Error(run.stderr);
    };
    git('init', '-q');
    cpSync(join(scratch, 'lab.yaml'), join(repo, 'lab.yaml'));
    git('add', 'lab.yaml');
    git('commit', '-qm', 'lab');
    writeFileSync(join(repo, 'lab.yaml'), edits['memory change'](baseLab));
    const plan = virtlab(['plan', '--file', 'lab.yaml', '--base', 'HEAD', '--detailed-exitcode'], repo);
    expect(plan.stderr).toBe('');
    expect(plan.status).toBe(2);
    expect(plan.stdout).toMatch(/^Changes against git revision HEAD:/);
    expect(plan.stdout).toContain('~ memory = 2048 -> 4096');
    const worktrees = spawnSync('git', ['worktree', 'list'], { cwd: repo, encoding: 'utf8' }).stdout.trim().split('\n');
    expect(worktrees).toHaveLength(1);
    expect(virtlab(['plan', '--file', 'lab.yaml', '--base', 'no-such-rev'], repo).stderr).toMatch(/--base no-such-rev: no such revision/);
  });

  it('plans the built-in example labs against a revision of virtlab itself (built in a worktree)', () => {
    const plan = virtlab(['plan', '--base', 'HEAD', '--detailed-exitcode'], root);
    expect(plan.stderr).toBe('');
    expect([0, 2]).toContain(plan.status);
    expect(plan.stdout).toMatch(/against git revision HEAD/);
  }, 120_000);
});
