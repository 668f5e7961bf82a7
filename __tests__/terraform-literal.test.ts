import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { delimiter, join } from 'node:path';
import { tmpdir } from 'node:os';
import { Boot, Installer, LibvirtHost, VirtualMachine } from '../lib';
import { terraformLiteral } from '../lib/libvirt/literal';
import { newLab } from './support/lab';
import { resourcesOf, terraformOf } from './support/libvirt';

const hostile = {
  kernel: '/k/${file("/etc/hostname")}/vmlinuz',
  extra: 'console=hvc0 %{ if true }x%{ endif } $${already} 100%{',
  iso: '/iso/${local.x}.iso',
};

function hostileLab() {
  const lab = newLab('hostile');
  const xen = new LibvirtHost(lab, 'xen1', { hypervisor: 'xen' });
  new VirtualMachine(lab, 'pv', { host: xen, boot: Boot.installer(Installer.custom({ name: 'i', kernel: hostile.kernel, extra: hostile.extra })) });
  new VirtualMachine(lab, 'hvm', { host: xen, type: 'hvm', boot: Boot.hvmIso(hostile.iso) });
  return lab;
}

describe('user text in Terraform JSON', () => {
  it('is escaped so Terraform reads it literally', () => {
    expect(terraformLiteral('a ${b} %{c} $${d}')).toBe('a $${b} %%{c} $$${d}');
    const domains = Object.fromEntries(resourcesOf(terraformOf(hostileLab()).json, 'libvirt_domain').map((d) => [d.name, d]));
    expect(domains.pv.os.kernel).toBe('/k/$${file("/etc/hostname")}/vmlinuz');
    expect(domains.hvm.devices.disks[1].source.file.file).toBe('/iso/$${local.x}.iso');
  });

  const terraform = (process.env.PATH ?? '').split(delimiter).map((dir) => join(dir, 'terraform')).find((file) => existsSync(file));
  (terraform ? it : it.skip)('reaches Terraform unchanged (checked with the terraform binary, where installed)', () => {
    const { json } = terraformOf(hostileLab());
    const domains = Object.fromEntries(resourcesOf(json, 'libvirt_domain').map((x) => [x.name, x]));
    const dir = mkdtempSync(join(tmpdir(), 'virtlab-tf-literal-'));
    try {
      // The escaped strings as outputs of a configuration without providers: Terraform evaluates them.
      writeFileSync(join(dir, 'main.tf.json'), JSON.stringify({ output: {
        kernel: { value: domains.pv.os.kernel }, extra: { value: domains.pv.os.cmdline }, iso: { value: domains.hvm.devices.disks[1].source.file.file },
      } }));
      const rc = join(dir, 'empty.tfrc');
      writeFileSync(rc, '');
      const env = { ...process.env, TF_CLI_CONFIG_FILE: rc, TF_IN_AUTOMATION: '1' };
      for (const args of [['init', '-input=false', '-no-color'], ['apply', '-auto-approve', '-input=false', '-no-color']]) {
        const run = spawnSync(terraform!, args, { cwd: dir, env, encoding: 'utf8' });
        expect([args[0], run.status, run.stderr]).toEqual([args[0], 0, '']);
      }
      const outputs = spawnSync(terraform!, ['output', '-json'], { cwd: dir, env, encoding: 'utf8' });
      const values = Object.fromEntries(Object.entries(JSON.parse(outputs.stdout) as Record<string, { value: string }>).map(([k, v]) => [k, v.value]));
      expect(values).toEqual({ kernel: hostile.kernel, extra: hostile.extra, iso: hostile.iso });
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
