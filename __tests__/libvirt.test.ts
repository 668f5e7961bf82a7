import { Testing } from 'cdktf';
import 'cdktf/lib/testing/adapters/jest';
import { Domain } from '../.gen/providers/libvirt/domain';
import { Network } from '../.gen/providers/libvirt/network';
import { LibvirtProvider } from '../.gen/providers/libvirt/provider';
import { Volume as VolumeResource } from '../.gen/providers/libvirt/volume';
import { Boot, BridgedNetwork, Installer, LibvirtHost, NatNetwork, RoutedNetwork, VirtualMachine, Volume, renderXenFiles } from '../lib';
import { issuesOf, newLab } from './support/lab';
import { referenced, resourcesOf, terraformOf } from './support/libvirt';

Testing.setupJest();

function kvmLab() {
  const lab = newLab('kvm-lab');
  const host = new LibvirtHost(lab, 'kvm1');
  const nat = new NatNetwork(lab, 'nat', { subnet: '192.168.100.0/24', dhcp: { start: '192.168.100.100', end: '192.168.100.199' } });
  const web = new VirtualMachine(lab, 'web', { host, type: 'hvm', memoryMiB: 2048, vcpus: 2, interfaces: [{ network: nat, ip: '192.168.100.10' }] });
  return { lab, host, nat, web };
}

describe('a libvirt host', () => {
  it('configures the provider with its URI; KVM defaults to qemu:///system', () => {
    const { lab } = kvmLab();
    expect(terraformOf(lab).synthesized).toHaveProviderWithProperties(LibvirtProvider, { uri: 'qemu:///system' });
  });

  it('gives every host after the first a provider alias, and its resources use it', () => {
    const { lab } = kvmLab();
    const xen = new LibvirtHost(lab, 'xen1', { hypervisor: 'xen', uri: 'xen+ssh://root@xen1/system' });
    new VirtualMachine(lab, 'pv', { host: xen, boot: Boot.pygrub() });
    const { json } = terraformOf(lab);
    expect(json.provider!.libvirt).toEqual([{ uri: 'qemu:///system' }, { alias: 'xen1', uri: 'xen+ssh://root@xen1/system' }]);
    const byName = Object.fromEntries(resourcesOf(json, 'libvirt_domain').map((d) => [d.name, d.provider]));
    expect(byName).toEqual({ web: 'libvirt', pv: 'libvirt.xen1' });
  });

  it('requires dmacvicar/libvirt in required_providers', () => {
    const { json } = terraformOf(kvmLab().lab);
    expect(json.terraform!.required_providers.libvirt).toEqual({ source: 'registry.terraform.io/dmacvicar/libvirt', version: '~> 0.9.7' });
  });

  it.each([
    ['kvm', 'xen:///system', /qemu driver/],
    ['xen', 'qemu:///system', /xen driver/],
    ['xen', 'xen:///session', /no session instance/],
    ['kvm', 'qemu://lab1/system', /needs a transport/],
    ['kvm', 'qemu:///system extra', /libvirt URI/],
  ] as const)('refuses a %s host with the URI %j', (hypervisor, uri, rule) => {
    expect(issuesOf(() => new LibvirtHost(newLab(), 'h', { hypervisor, uri }))).toEqual([expect.objectContaining({ field: 'uri', value: uri, rule: expect.stringMatching(rule) })]);
  });

  it('refuses a host id that cannot be a provider alias', () => {
    expect(issuesOf(() => new LibvirtHost(newLab(), 'my.host'))[0]).toMatchObject({ field: 'id', value: 'my.host' });
  });
});

describe('a VM on a libvirt host', () => {
  it('becomes a libvirt_domain with its memory, vCPUs and shutdown actions', () => {
    const { lab } = kvmLab();
    expect(terraformOf(lab).synthesized).toHaveResourceWithProperties(Domain, {
      name: 'web', type: 'kvm', memory: 2048, memory_unit: 'MiB', vcpu: 2, running: true,
      on_poweroff: 'destroy', on_reboot: 'restart', on_crash: 'destroy',
      os: { type: 'hvm', type_arch: 'x86_64', boot_devices: [{ dev: 'hd' }] },
    });
  });

  it('must be HVM on a KVM host', () => {
    const { lab, host } = kvmLab();
    expect(issuesOf(() => new VirtualMachine(lab, 'pv', { host, type: 'pv' }))[0]).toMatchObject({ field: 'type', value: 'pv', rule: expect.stringMatching(/must be "hvm" on a KVM host/) });
  });

  it('may only use shutdown actions libvirt knows', () => {
    const { lab, host } = kvmLab();
    expect(issuesOf(() => new VirtualMachine(lab, 'x', { host, type: 'hvm', onReboot: 'soft-reset' }))[0])
      .toMatchObject({ field: 'onReboot', value: 'soft-reset', rule: expect.stringMatching(/what libvirt supports/) });
  });

  it('gets its disk as a volume in a logical pool per volume group, with prevent_destroy', () => {
    const { lab, web } = kvmLab();
    web.addDisk({ volumeGroup: 'fast', size: '1G', preventDestroy: false });
    const { synthesized, json } = terraformOf(lab);
    expect(resourcesOf(json, 'libvirt_pool').map((p) => [p.name, p.type, p.source.name, p.target.path]).sort()).toEqual([
      ['fast', 'logical', 'fast', '/dev/fast'], ['vg0', 'logical', 'vg0', '/dev/vg0'],
    ]);
    expect(synthesized).toHaveResourceWithProperties(VolumeResource, { name: 'web-disk', capacity: 10 * 1024 ** 3, lifecycle: { prevent_destroy: true } });
    const fast = resourcesOf(json, 'libvirt_volume').find((v) => v.name === 'web-disk1')!;
    expect(fast.lifecycle).toBeUndefined();
    expect(referenced(json, fast.pool).body.name).toBe('fast');
  });

  it('refers to its volumes and networks by token, never by a copied string', () => {
    const { lab } = kvmLab();
    const { json } = terraformOf(lab);
    const [domain] = resourcesOf(json, 'libvirt_domain');
    const disk = domain.devices.disks[0];
    expect(disk).toMatchObject({ device: 'disk', target: { dev: 'vda', bus: 'virtio' }, driver: { name: 'qemu', type: 'raw' } });
    expect(referenced(json, disk.source.block.dev)).toMatchObject({ type: 'libvirt_volume', attribute: 'path', body: { name: 'web-disk' } });
    const nic = domain.devices.interfaces[0];
    expect(nic.mac.address).toMatch(/^00:16:3e:/);
    expect(referenced(json, nic.source.network.network)).toMatchObject({ type: 'libvirt_network', attribute: 'name', body: { name: 'nat' } });
  });

  it('puts an installation ISO on a cdrom and boots the disk first', () => {
    const lab = newLab();
    const host = new LibvirtHost(lab, 'kvm1');
    new VirtualMachine(lab, 'inst', { host, type: 'hvm', boot: Boot.hvmIso('/isos/debian.iso') });
    const [domain] = resourcesOf(terraformOf(lab).json, 'libvirt_domain');
    expect(domain.devices.disks[1]).toEqual({ device: 'cdrom', read_only: true, source: { file: { file: '/isos/debian.iso' } }, target: { dev: 'sda', bus: 'sata' } });
    expect(domain.os.boot_devices).toEqual([{ dev: 'hd' }, { dev: 'cdrom' }]);
    expect(domain.devices.graphics).toEqual([{ vnc: { auto_port: true, listen: '127.0.0.1' } }]);
  });

  it('on Xen boots PV guests with pygrub or the installer kernel, with a xen console', () => {
    const lab = newLab();
    const xen = new LibvirtHost(lab, 'xen1', { hypervisor: 'xen' });
    new VirtualMachine(lab, 'pv', { host: xen, boot: Boot.pygrub() });
    new VirtualMachine(lab, 'inst', { host: xen, type: 'pvh', boot: Boot.installer(Installer.debian13()) });
    const domains = Object.fromEntries(resourcesOf(terraformOf(lab).json, 'libvirt_domain').map((d) => [d.name, d]));
    expect(domains.pv).toMatchObject({ type: 'xen', bootloader: 'pygrub', os: { type: 'linux' }, devices: { consoles: [{ target: { type: 'xen', port: 0 } }] } });
    expect(domains.pv.devices.disks[0]).toEqual({ device: 'disk', source: { block: { dev: expect.stringMatching(/^\$\{libvirt_volume\./) } }, target: { dev: 'xvda', bus: 'xen' } });
    expect(domains.inst).toMatchObject({
      os: { type: 'xenpvh', kernel: '/var/lib/xen/images/debian-13/vmlinuz', initrd: '/var/lib/xen/images/debian-13/initrd.gz' },
      on_reboot: 'destroy',
    });
    expect(domains.inst.bootloader).toBeUndefined();
  });
});

describe('networks on a libvirt host', () => {
  it('NAT: forward mode nat, the gateway address, a DHCP range and a static entry per VM', () => {
    const { lab } = kvmLab();
    const { synthesized, json } = terraformOf(lab);
    const [domain] = resourcesOf(json, 'libvirt_domain');
    expect(synthesized).toHaveResourceWithProperties(Network, {
      name: 'nat', autostart: true, forward: { mode: 'nat' },
      ips: [{
        address: '192.168.100.1', prefix: 24,
        dhcp: { ranges: [{ start: '192.168.100.100', end: '192.168.100.199' }], hosts: [{ mac: domain.devices.interfaces[0].mac.address, ip: '192.168.100.10', name: 'web' }] },
      }],
    });
  });

  it('routed: forward mode route through the gateway device', () => {
    const lab = newLab();
    const host = new LibvirtHost(lab, 'kvm1');
    const routed = new RoutedNetwork(lab, 'r', { subnet: '10.10.0.0/24', gatewayDevice: 'eth1', gateway: '10.10.0.254' });
    new VirtualMachine(lab, 'vm', { host, type: 'hvm', interfaces: [{ network: routed, ip: '10.10.0.1' }] });
    expect(terraformOf(lab).synthesized).toHaveResourceWithProperties(Network, {
      name: 'r', forward: { mode: 'route', dev: 'eth1' }, ips: [{ address: '10.10.0.254', prefix: 24, dhcp: { hosts: [expect.objectContaining({ ip: '10.10.0.1' })] } }],
    });
  });

  it('bridged: forward mode bridge onto the existing host bridge', () => {
    const lab = newLab();
    const host = new LibvirtHost(lab, 'kvm1');
    new VirtualMachine(lab, 'vm', { host, type: 'hvm', interfaces: [{ network: new BridgedNetwork(lab, 'lan', { bridge: 'br0' }) }] });
    expect(terraformOf(lab).synthesized).toHaveResourceWithProperties(Network, { name: 'lan', forward: { mode: 'bridge' }, bridge: { name: 'br0' } });
  });

  it('exist only on hosts whose VMs use them', () => {
    const { lab } = kvmLab();
    new RoutedNetwork(lab, 'unused', { subnet: '10.0.0.0/24' });
    expect(resourcesOf(terraformOf(lab).json, 'libvirt_network').map((n) => n.name)).toEqual(['nat']);
  });

  it('keep guests off the gateway address and out of the DHCP range', () => {
    const { lab, host, nat } = kvmLab();
    new VirtualMachine(lab, 'gw', { host, type: 'hvm', interfaces: [{ network: nat, ip: '192.168.100.1' }] });
    new VirtualMachine(lab, 'dyn', { host, type: 'hvm', interfaces: [{ network: nat, ip: '192.168.100.150' }] });
    expect(lab.validateLab().map((i) => [i.path, i.rule])).toEqual([
      ['kvm-lab/gw', expect.stringMatching(/is the gateway of kvm-lab\/nat on libvirt host kvm1/)],
      ['kvm-lab/dyn', expect.stringMatching(/lies in the DHCP range 192.168.100.100-192.168.100.199/)],
    ]);
  });

  it('check the gateway and DHCP range against the subnet', () => {
    expect(issuesOf(() => new NatNetwork(newLab(), 'n', { subnet: '10.0.0.0/24', gateway: '10.0.1.1', dhcp: { start: '10.0.0.200', end: '10.0.0.100' } }))
      .map((i) => i.field)).toEqual(['gateway', 'dhcp.end']);
    expect(issuesOf(() => new NatNetwork(newLab(), 'n', { subnet: '10.0.0.0/24', dhcp: { start: '10.0.0.1', end: '10.0.0.9' } }))[0].rule)
      .toMatch(/must not include the gateway 10.0.0.1/);
  });
});

describe('volumes on a libvirt host', () => {
  it('are created once, on the host of the VMs that attach them, and attached read-only', () => {
    const { lab, host, web } = kvmLab();
    const data = new Volume(lab, 'data', { size: '20G' });
    const db = new VirtualMachine(lab, 'db', { host, type: 'hvm' });
    web.attachVolume(data, { readOnly: true });
    db.attachVolume(data, { readOnly: true });
    const { json } = terraformOf(lab);
    expect(resourcesOf(json, 'libvirt_volume').filter((v) => v.name === 'data')).toEqual([expect.objectContaining({ lifecycle: { prevent_destroy: true } })]);
    for (const domain of resourcesOf(json, 'libvirt_domain')) {
      expect(domain.devices.disks[1]).toMatchObject({ read_only: true, target: { dev: 'vdb' } });
    }
  });

  it('are shareable in libvirt when marked shareable', () => {
    const { lab, host, web } = kvmLab();
    const cluster = new Volume(lab, 'cluster', { size: '20G', shareable: true, preventDestroy: false });
    web.attachVolume(cluster);
    new VirtualMachine(lab, 'b', { host, type: 'hvm' }).attachVolume(cluster);
    const { json } = terraformOf(lab);
    expect(resourcesOf(json, 'libvirt_domain').map((d) => d.devices.disks[1].shareable)).toEqual([true, true]);
    expect(resourcesOf(json, 'libvirt_volume').find((v) => v.name === 'cluster')!.lifecycle).toBeUndefined();
  });

  it('cannot span two hosts', () => {
    const { lab, web } = kvmLab();
    const other = new LibvirtHost(lab, 'kvm2');
    const data = new Volume(lab, 'data', { size: '1G' });
    web.attachVolume(data, { readOnly: true });
    const far = new VirtualMachine(lab, 'far', { host: other, type: 'hvm' });
    expect(issuesOf(() => far.attachVolume(data, { readOnly: true }))[0].rule).toMatch(/is on libvirt host kvm1 with kvm-lab\/web, and this VM is on libvirt host kvm2/);
  });
});

describe('what each host kind gets', () => {
  it('a KVM-only lab writes no Xen files; a Xen host VM gets both', () => {
    const { lab } = kvmLab();
    expect(renderXenFiles(lab.toModel())).toEqual([]);
    const xen = new LibvirtHost(lab, 'xen1', { hypervisor: 'xen' });
    new VirtualMachine(lab, 'pv', { host: xen, boot: Boot.pygrub() });
    expect(renderXenFiles(lab.toModel()).map((f) => f.path)).toEqual(['pv.cfg', 'dom0/provision.sh', 'dom0/xl.conf']);
  });

  it('a lab without hosts has no libvirt resources', () => {
    const lab = newLab();
    new VirtualMachine(lab, 'vm');
    expect(terraformOf(lab).json.resource).toBeUndefined();
  });

  it('refuses changes once the resources were made', () => {
    const { lab, web, nat } = kvmLab();
    lab.libvirtResources();
    expect(() => web.addInterface(nat, { ip: '192.168.100.20' })).toThrow(/cannot add an interface after the lab's libvirt resources were made/);
    expect(() => new VirtualMachine(lab, 'late')).toThrow(/cannot add a VM/);
  });

  it('exposes the resources for escape hatches', () => {
    const { lab } = kvmLab();
    lab.libvirtResources().domains.get('web')!.addOverride('autostart', true);
    expect(terraformOf(lab).synthesized).toHaveResourceWithProperties(Domain, { name: 'web', autostart: true });
  });
});
