import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { synthesizeStacks, validateStacks } from '../lib';
import { configFileName } from '../lib/render/xl-config';
import { stacks } from '../stacks';
import { referenced, resourcesOf } from './support/libvirt';
import { XlParsedDomain, describeIfXl, parseWithXl } from './support/xl-toolstack';

/**
 * A VM on a Xen libvirt host is described twice: by its xl.cfg and by its libvirt_domain. Both
 * must describe the same guest. xl's side is what the real xl parsed; libvirt's is the
 * synthesized Terraform JSON, with volume and network references resolved.
 */
interface Guest {
  name: string;
  memoryKiB: number;
  vcpus: number;
  disks: Array<{ path: string; vdev: string; writable: boolean }>;
  nics: Array<{ mac: string; bridge?: string; ip?: string }>;
}

function fromXl(domain: XlParsedDomain): Guest {
  return {
    name: domain.c_info.name,
    memoryKiB: domain.b_info.max_memkb,
    vcpus: domain.b_info.max_vcpus,
    disks: (domain.disks ?? []).filter((d) => !d.is_cdrom).map((d) => ({ path: d.pdev_path, vdev: d.vdev, writable: d.readwrite === 1 })),
    nics: (domain.nics ?? []).map((n) => ({ mac: n.mac!, ...(n.bridge ? { bridge: n.bridge } : {}), ...(n.ip ? { ip: n.ip } : {}) })),
  };
}

function fromLibvirt(json: Parameters<typeof resourcesOf>[0], domain: Record<string, any>): Guest {
  const memoryKiB = { MiB: 1024, GiB: 1024 * 1024, KiB: 1 }[domain.memory_unit as string]! * domain.memory;
  return {
    name: domain.name,
    memoryKiB,
    vcpus: domain.vcpu,
    disks: domain.devices.disks.filter((d: any) => d.device === 'disk').map((d: any) => {
      const volume = referenced(json, d.source.block.dev);
      const pool = referenced(json, volume.body.pool);
      return { path: `${pool.body.target.path}/${volume.body.name}`, vdev: d.target.dev, writable: d.read_only !== true };
    }),
    nics: domain.devices.interfaces.map((nic: any) => {
      const network = referenced(json, nic.source.network.network).body;
      const lease = network.ips?.[0]?.dhcp?.hosts?.find((h: any) => h.mac === nic.mac.address);
      return { mac: nic.mac.address, ...(network.bridge ? { bridge: network.bridge.name } : {}), ...(lease ? { ip: lease.ip } : {}) };
    }),
  };
}

describeIfXl('xl.cfg and libvirt_domain agree for every example VM on a Xen host', () => {
  const scratch = mkdtempSync(join(tmpdir(), 'virtlab-agree-'));
  afterAll(() => rmSync(scratch, { recursive: true, force: true }));
  synthesizeStacks(stacks, scratch);
  const cases = validateStacks(stacks).flatMap((stack) => {
    const lab = stack.toModel();
    const xenHosts = new Set(lab.hosts.filter((h) => h.hypervisor === 'xen').map((h) => h.name));
    return lab.vms.filter((vm) => vm.host !== undefined && xenHosts.has(vm.host)).map((vm) => ({ stack: lab.stackName, vm }));
  });
  const parsed = parseWithXl(cases.map((c) => join(scratch, 'stacks', c.stack, 'xen', configFileName(c.vm))));

  it('has Xen-hosted example VMs of every guest type', () => {
    expect(new Set(cases.map((c) => c.vm.type))).toEqual(new Set(['pv', 'pvh', 'hvm']));
  });

  it.each(cases.map((c, i) => [`${c.stack}/${c.vm.name}`, i] as const))('%s', (_name, i) => {
    const json = JSON.parse(readFileSync(join(scratch, 'stacks', cases[i].stack, 'cdk.tf.json'), 'utf8'));
    const domain = resourcesOf(json, 'libvirt_domain').find((d) => d.name === cases[i].vm.name)!;
    expect(fromLibvirt(json, domain)).toEqual(fromXl(parsed[i]));
  });
});
