import { spawnSync } from 'node:child_process';
import { chmodSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { synthesizeStacks } from '../lib';
import { stacks } from '../stacks';
import { edgeLab } from './support/labs';

/**
 * Runs the generated dom0 script against stand-ins for lvm2, xl, curl, iptables, sysctl and ip
 * that log their arguments and keep state in files, so idempotence is observable.
 */
const FAKES: Record<string, string> = {
  vgs: '[ -e "$STATE/vg-$1" ]',
  lvs: '[ -e "$STATE/lv-$(echo "$1" | tr / _)" ]',
  lvcreate: 'while [ $# -gt 1 ]; do case "$1" in --name) name=$2; shift;; esac; shift; done; touch "$STATE/lv-$1_$name"',
  xl: 'case "$1" in domid) [ -e "$STATE/running-$2" ];; create) touch "$STATE/running-$(basename "$2" | sed "s/\\.install\\.cfg$//; s/\\.cfg$//")";; esac',
  curl: 'while [ $# -gt 0 ]; do case "$1" in --output) out=$2; shift;; --) url=$2; shift;; esac; shift; done; printf "%s" "$url" > "$out"',
  iptables: 'rule=$(echo "$*" | sed "s/-[AC] POSTROUTING/POSTROUTING/" | tr " /" "__"); case "$*" in *" -C "*) [ -e "$STATE/ipt-$rule" ];; *) touch "$STATE/ipt-$rule";; esac',
  sysctl: 'true',
  ip: '[ -e "$STATE/bridge-$4" ]',
};

let scratch: string;
let out: string;
beforeAll(() => {
  scratch = mkdtempSync(join(tmpdir(), 'virtlab-provision-'));
  out = join(scratch, 'out');
  synthesizeStacks([...stacks, edgeLab], out);
  const bin = join(scratch, 'bin');
  mkdirSync(bin);
  for (const [name, body] of Object.entries(FAKES)) {
    writeFileSync(join(bin, name), `#!/bin/sh\necho "${name} $*" >> "$STATE/log"\n${body}\n`);
    chmodSync(join(bin, name), 0o755);
  }
});
afterAll(() => rmSync(scratch, { recursive: true, force: true }));

function host(name: string) {
  const root = join(scratch, name);
  const state = join(root, 'state');
  mkdirSync(state, { recursive: true });
  writeFileSync(join(state, 'vg-vg0'), '');
  const run = (stack: string, ...args: string[]) => {
    writeFileSync(join(state, 'log'), '');
    const result = spawnSync('sh', [join(out, 'stacks', stack, 'xen', 'dom0', 'provision.sh'), ...args], {
      encoding: 'utf8',
      env: { PATH: `${join(scratch, 'bin')}:/usr/bin:/bin`, STATE: state, VIRTLAB_ROOT: root },
    });
    return { ...result, log: readFileSync(join(state, 'log'), 'utf8').trim().split('\n').filter(Boolean) };
  };
  return { root, state, run };
}

describe('the generated dom0 provisioning script', () => {
  it.each(['xen-lab', 'edge-lab'])('is valid POSIX sh (%s)', (stack) => {
    const check = spawnSync('sh', ['-n', join(out, 'stacks', stack, 'xen', 'dom0', 'provision.sh')], { encoding: 'utf8' });
    expect(check.stderr).toBe('');
    expect(check.status).toBe(0);
  });

  it('prepares dom0: creates each LV, downloads installers, installs cfg files, forwarding and NAT', () => {
    const { root, run } = host('prepare');
    const first = run('xen-lab');
    expect(first.stderr).toBe('');
    expect(first.status).toBe(0);
    expect(first.log.filter((l) => l.startsWith('lvcreate'))).toEqual([
      'lvcreate --yes --size 10G --name vm01-disk vg0',
      'lvcreate --yes --size 8G --name vm02-disk vg0',
      'lvcreate --yes --size 16G --name vm03-disk vg0',
      'lvcreate --yes --size 20G --name shared-data vg0',
    ]);
    expect(first.log.filter((l) => l.startsWith('curl'))).toHaveLength(4);
    expect(readFileSync(join(root, 'var/lib/xen/images/debian-12/vmlinuz'), 'utf8'))
      .toBe('https://deb.debian.org/debian/dists/bookworm/main/installer-amd64/current/images/netboot/xen/vmlinuz');
    expect(readFileSync(join(root, 'etc/xen/vm01.cfg'), 'utf8')).toBe(readFileSync(join(out, 'stacks/xen-lab/xen/vm01.cfg'), 'utf8'));
    expect(existsSync(join(root, 'etc/xen/vm01.install.cfg'))).toBe(true);
    expect(existsSync(join(root, 'etc/network'))).toBe(false); // the host's network configuration is the admin's
    expect(existsSync(join(root, 'etc/sysctl.d/90-virtlab-xen-lab.conf'))).toBe(true);
    expect(first.log).toContain('iptables -t nat -A POSTROUTING -s 10.0.20.0/24 -o xenbr0 -j MASQUERADE');
  });

  it('is idempotent: a second run creates, downloads and adds nothing', () => {
    const { run } = host('again');
    run('xen-lab');
    const second = run('xen-lab');
    expect(second.status).toBe(0);
    expect(second.log.filter((l) => /^(lvcreate|curl)|-A POSTROUTING/.test(l))).toEqual([]);
    expect(second.stdout).toContain('logical volume /dev/vg0/vm01-disk exists, kept as it is');
  });

  it('never removes a logical volume', () => {
    const script = readFileSync(join(out, 'stacks/xen-lab/xen/dom0/provision.sh'), 'utf8');
    expect(script).not.toMatch(/lvremove|lvreduce|lvresize|wipefs|mkfs|dd /);
  });

  it('boots the install phase, refusing to start a guest whose bridge is missing', () => {
    const { state, run } = host('install');
    const noBridge = run('xen-lab', 'install', 'vm01');
    expect(noBridge.status).toBe(1);
    expect(noBridge.stderr).toMatch(/bridge xenbr0 does not exist: install .*dom0\/interfaces as \/etc\/network\/interfaces.d\/virtlab-xen-lab \(see its header\), then 'ifup xenbr0'/);
    writeFileSync(join(state, 'bridge-xenbr0'), '');
    const install = run('xen-lab', 'install', 'vm01');
    expect(install.status).toBe(0);
    expect(install.log.filter((l) => l.startsWith('xl create'))).toEqual([expect.stringMatching(/xl create .*\/etc\/xen\/vm01\.install\.cfg$/)]);
    const again = run('xen-lab', 'start', 'vm01');
    expect(again.stdout).toContain('vm01 is already running, left alone');
    expect(again.log.filter((l) => l.startsWith('xl create'))).toEqual([]);
  });

  it('runs an installer once: a later install skips the VM, reinstall runs it again', () => {
    const { state, run } = host('once');
    writeFileSync(join(state, 'bridge-xenbr0'), '');
    expect(run('xen-lab', 'install', 'vm01').log.filter((l) => l.startsWith('xl create'))).toHaveLength(1);
    rmSync(join(state, 'running-vm01')); // the installer finished: the guest was destroyed
    const second = run('xen-lab', 'install', 'vm01');
    expect(second.stdout).toMatch(/vm01 was installed before .*; use start, or reinstall to run the installer again/);
    expect(second.log.filter((l) => l.startsWith('xl create'))).toEqual([]);
    expect(run('xen-lab', 'reinstall', 'vm01').log.filter((l) => l.startsWith('xl create'))).toEqual([expect.stringMatching(/vm01\.install\.cfg$/)]);
    expect(run('xen-lab', 'start', 'vm01').stdout).toContain('vm01 is already running, left alone');
  });

  it('prints its usage with --help', () => {
    const help = host('help').run('xen-lab', '--help');
    expect(help.status).toBe(0);
    expect(help.stdout).toMatch(/^# Dom0 provisioning for lab xen-lab/);
    expect(help.stdout).toMatch(/reinstall  like install/);
    expect(help.stdout).not.toMatch(/set -eu/);
  });

  it('stops with a clear message when a volume group is missing', () => {
    const { state, run } = host('no-vg');
    rmSync(join(state, 'vg-vg0'));
    const result = run('xen-lab');
    expect(result.status).toBe(1);
    expect(result.stderr).toBe('virtlab: error: volume group vg0 not found: create it first (pvcreate, vgcreate)\n');
    expect(result.log.filter((l) => l.startsWith('lvcreate'))).toEqual([]);
  });

  it('rejects an unknown VM or command with a clear message', () => {
    const { run } = host('unknown');
    expect(run('xen-lab', 'start', 'vm99').stderr).toMatch(/unknown VM 'vm99' \(known: vm01 vm02 vm03\)/);
    expect(run('xen-lab', 'destroy').stderr).toMatch(/unknown command 'destroy'/);
  });

  it('passes hostile-looking URLs to curl as one literal argument', () => {
    const { root, state, run } = host('hostile');
    writeFileSync(join(state, 'vg-vg+fast'), '');
    expect(run('edge-lab').status).toBe(0);
    // The fake curl writes the URL it was given into the target file.
    const kernel = readFileSync(join(root, 'var/lib/xen/images/odd-installer/vmlinuz'), 'utf8');
    expect(kernel).toBe("https://mirror.example/path%20with/it's/$(id)/vmlinuz");
  });
});
