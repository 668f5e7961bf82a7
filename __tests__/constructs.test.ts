import {
  Boot, BridgedNetwork, Installer, LabStack, NatNetwork, RoutedNetwork, VirtualMachine, Volume, formatIssue,
} from '../lib';
import { issuesOf, newLab } from './support/lab';

describe('VirtualMachine', () => {
  it('defaults to the classic lab guest: PV, 1 GiB, one vCPU, Debian 12 installer, 10G LV on vg0 named <vm>-disk', () => {
    const lab = newLab();
    new VirtualMachine(lab, 'vm01');
    const [vm] = lab.toModel().vms;
    expect(vm).toMatchObject({ name: 'vm01', type: 'pv', memoryMiB: 1024, vcpus: 1, onPoweroff: 'destroy', onReboot: 'restart', onCrash: 'destroy' });
    expect(vm.boot).toMatchObject({ kind: 'installer', installer: { name: 'debian-12' } });
    expect(vm.disks).toEqual([{ vdev: 'xvda', target: '/dev/vg0/vm01-disk', access: 'rw', kind: 'disk' }]);
    expect(lab.toModel().logicalVolumes).toEqual([
      expect.objectContaining({ volumeGroup: 'vg0', name: 'vm01-disk', size: '10G', owner: 'lab/vm01/RootDisk' }),
    ]);
  });

  it('boots HVM guests from their disk unless told otherwise', () => {
    const lab = newLab();
    new VirtualMachine(lab, 'win', { type: 'hvm' });
    expect(lab.toModel().vms[0].boot).toEqual({ kind: 'hvm-disk' });
  });

  it('names added disks <vm>-disk1, <vm>-disk2, … and gives them the next device', () => {
    const lab = newLab();
    const vm = new VirtualMachine(lab, 'db');
    vm.addDisk({ size: '20G' });
    vm.addDisk({ name: 'db-logs', volumeGroup: 'fast', size: '512M' });
    expect(lab.toModel().vms[0].disks.map((d) => `${d.vdev}=${d.target}`)).toEqual([
      'xvda=/dev/vg0/db-disk', 'xvdb=/dev/vg0/db-disk1', 'xvdc=/dev/fast/db-logs',
    ]);
  });

  it('keeps xvdc free on HVM guests, where it would clash with the cdrom hdc', () => {
    const lab = newLab();
    const vm = new VirtualMachine(lab, 'h', { type: 'hvm', boot: Boot.hvmIso('/srv/x.iso') });
    vm.addDisk();
    vm.addDisk();
    expect(lab.toModel().vms[0].disks.map((d) => d.vdev)).toEqual(['xvda', 'xvdb', 'xvdd']);
  });

  it('reports every invalid prop at once, naming path, field, value and rule', () => {
    const lab = newLab();
    const issues = issuesOf(() => new VirtualMachine(lab, 'bad', { name: 'bad/name', memoryMiB: 8, vcpus: 0, onCrash: 'explode' as never }));
    expect(issues.map(formatIssue)).toEqual([
      'lab/bad: name = "bad/name": must match [A-Za-z0-9][A-Za-z0-9_.-]*, not be all digits, and be at most 64 characters',
      'lab/bad: memoryMiB = 8: must be a whole number of MiB from 16 to 4194304',
      'lab/bad: vcpus = 0: must be a whole number of virtual CPUs from 1 to 128',
      'lab/bad: onCrash = "explode": must be one of "destroy", "restart", "rename-restart", "preserve", "coredump-destroy", "coredump-restart", "soft-reset"',
    ]);
  });

  it('refuses a boot method that does not fit the guest type', () => {
    expect(issuesOf(() => new VirtualMachine(newLab(), 'a', { type: 'hvm', boot: Boot.pygrub() }))).toEqual([
      expect.objectContaining({ field: 'boot', value: 'pygrub', rule: expect.stringMatching(/only PV and PVH/) }),
    ]);
    expect(issuesOf(() => new VirtualMachine(newLab(), 'b', { type: 'pv', boot: Boot.hvmIso('/x.iso') }))).toEqual([
      expect.objectContaining({ field: 'boot', value: 'hvm-iso', rule: expect.stringMatching(/only HVM/) }),
    ]);
  });

  it('explains that a derived LV name comes from the VM name', () => {
    const issues = issuesOf(() => new VirtualMachine(newLab(), 'snapshot1'));
    expect(issues).toEqual([expect.objectContaining({
      path: 'lab/snapshot1', field: 'rootDisk.name', value: 'snapshot1-disk', rule: expect.stringMatching(/derived from the VM name "snapshot1"; set `name` explicitly/),
    })]);
  });

  it('validates the installer: URLs, paths and command line', () => {
    const installer = Installer.custom({ name: 'mine', kernel: 'ftp://x/vmlinuz', ramdisk: 'relative/initrd', extra: 'a\nb' });
    const fields = issuesOf(() => new VirtualMachine(newLab(), 'vm', { boot: Boot.installer(installer) })).map((i) => i.field);
    expect(fields).toEqual(['boot.installer.extra', 'boot.installer.kernel', 'boot.installer.ramdisk']);
  });

  it('keeps installer downloads under /var/lib/xen/images/<installer>/ and local paths as they are', () => {
    const lab = newLab();
    new VirtualMachine(lab, 'vm', { boot: Boot.installer(Installer.custom({ name: 'mine', kernel: 'https://m/a/vmlinuz', ramdisk: '/srv/initrd.img' })) });
    const boot = lab.toModel().vms[0].boot;
    expect(boot).toEqual({ kind: 'installer', installer: {
      name: 'mine', description: 'mine', extra: 'console=hvc0',
      kernel: { path: '/var/lib/xen/images/mine/vmlinuz', url: 'https://m/a/vmlinuz' }, ramdisk: { path: '/srv/initrd.img' },
    } });
  });

  it('uses a mirror for catalog installers when asked', () => {
    const lab = newLab();
    new VirtualMachine(lab, 'vm', { boot: Boot.installer(Installer.debian13({ mirror: 'http://apt.lab/debian/' })) });
    const boot = lab.toModel().vms[0].boot;
    expect(boot.kind === 'installer' && boot.installer.kernel.url).toBe('http://apt.lab/debian/dists/trixie/main/installer-amd64/current/images/netboot/xen/vmlinuz');
  });
});

describe('networks', () => {
  it('bridge on xenbr0 over eth0 by default, without requiring an IP', () => {
    const lab = newLab();
    const lan = new BridgedNetwork(lab, 'lan');
    new VirtualMachine(lab, 'vm', { interfaces: [{ network: lan }] });
    expect(lab.toModel().vms[0].nics).toEqual([
      { network: 'lan', networkKind: 'bridged', script: 'vif-bridge', bridge: 'xenbr0', mac: expect.stringMatching(/^00:16:3e:/), ip: undefined },
    ]);
  });

  it('require a static IP inside the subnet on routed networks, and pass gatewaydev', () => {
    const lab = newLab();
    const routed = new RoutedNetwork(lab, 'r', { subnet: '10.0.10.0/24', gatewayDevice: 'eth1' });
    expect(issuesOf(() => new VirtualMachine(lab, 'a', { interfaces: [{ network: routed }] }))).toEqual([
      expect.objectContaining({ path: 'lab/a', field: 'interfaces[0].ip', rule: expect.stringMatching(/is required: a routed network/) }),
    ]);
    expect(issuesOf(() => new VirtualMachine(lab, 'b', { interfaces: [{ network: routed, ip: '10.0.11.2' }] }))).toEqual([
      expect.objectContaining({ field: 'interfaces[0].ip', value: '10.0.11.2', rule: expect.stringMatching(/inside the network 10.0.10.0\/24/) }),
    ]);
    const vm = new VirtualMachine(lab, 'c');
    vm.addInterface(routed, { ip: '10.0.10.2' });
    expect(lab.toModel().vms.find((v) => v.name === 'c')!.nics[0]).toMatchObject({ script: 'vif-route', gatewayDevice: 'eth1', ip: '10.0.10.2' });
  });

  it('allow NAT guest addresses ending in 1-127 only (vif-nat puts the gateway at +127)', () => {
    const lab = newLab();
    const nat = new NatNetwork(lab, 'nat', { subnet: '10.0.20.0/24' });
    new VirtualMachine(lab, 'edge', { interfaces: [{ network: nat, ip: '10.0.20.127' }] });
    const issues = issuesOf(() => new VirtualMachine(lab, 'over', { interfaces: [{ network: nat, ip: '10.0.20.128' }] }));
    expect(issues).toEqual([expect.objectContaining({ value: '10.0.20.128', rule: expect.stringMatching(/128 \+ 127 = 255 is not a host address/) })]);
    expect(issuesOf(() => new VirtualMachine(lab, 'zero', { interfaces: [{ network: nat, ip: '10.0.20.0' }] }))[0].rule).toMatch(/network address/);
  });

  it('need a valid subnet on routed and NAT networks', () => {
    expect(issuesOf(() => new NatNetwork(newLab(), 'n', { subnet: undefined as never }))[0]).toMatchObject({ field: 'subnet', rule: expect.stringMatching(/is required on a nat network/) });
    expect(issuesOf(() => new RoutedNetwork(newLab(), 'r', { subnet: '10.0.0.1/24' }))[0]).toMatchObject({ field: 'subnet', value: '10.0.0.1/24' });
  });

  it('check interface names', () => {
    expect(issuesOf(() => new BridgedNetwork(newLab(), 'b', { bridge: 'a-very-long-bridge', hostInterface: 'eth 0' })).map((i) => i.field)).toEqual(['bridge', 'hostInterface']);
  });
});

describe('volumes', () => {
  const twoVms = () => {
    const lab = newLab();
    return { lab, a: new VirtualMachine(lab, 'a'), b: new VirtualMachine(lab, 'b') };
  };

  it('attach to several VMs read-only, after the root disk', () => {
    const { lab, a, b } = twoVms();
    const data = new Volume(lab, 'data', { size: '20G' });
    a.attachVolume(data, { readOnly: true });
    b.attachVolume(data, { readOnly: true });
    expect(lab.toModel().vms.map((vm) => vm.disks[1])).toEqual([
      { vdev: 'xvdb', target: '/dev/vg0/data', access: 'ro', kind: 'disk' },
      { vdev: 'xvdb', target: '/dev/vg0/data', access: 'ro', kind: 'disk' },
    ]);
    expect(data.attachments).toEqual([{ vmPath: 'lab/a', readOnly: true, xl: true }, { vmPath: 'lab/b', readOnly: true, xl: true }]);
  });

  it('under xl, are read-only in every guest or belong to one guest alone', () => {
    const { lab, a, b } = twoVms();
    const data = new Volume(lab, 'data', { size: '20G' });
    a.attachVolume(data);
    expect(issuesOf(() => b.attachVolume(data, { readOnly: true }))).toEqual([expect.objectContaining({
      path: 'lab/b', field: 'volumes[0]', value: 'lab/data', rule: expect.stringMatching(/already attached to lab\/a read-write; under xl a volume shared by several guests must be read-only in all of them/),
    })]);
    const iso = new Volume(lab, 'iso', { size: '1G', shareable: true });
    a.attachVolume(iso, { readOnly: true });
    expect(issuesOf(() => b.attachVolume(iso))[0].rule).toMatch(/read-only in all of them \(Xen's block script refuses to share a device one guest writes, shareable or not\)/);
  });

  it('refuse attaching the same volume to a VM twice', () => {
    const { lab, a } = twoVms();
    const data = new Volume(lab, 'data', { size: '1G' });
    a.attachVolume(data, { readOnly: true });
    expect(issuesOf(() => a.attachVolume(data, { readOnly: true }))[0].rule).toMatch(/only once/);
  });

  it('validate group, name and size', () => {
    expect(issuesOf(() => new Volume(newLab(), 'v', { volumeGroup: '-vg', name: 'x_tmeta', size: '1.5G' })).map((i) => i.field)).toEqual(['volumeGroup', 'name', 'size']);
  });
});

describe('a lab', () => {
  it('refuses duplicate VM names, MACs, IPs and logical volumes, naming both constructs', () => {
    const lab = newLab();
    const nat = new NatNetwork(lab, 'nat', { subnet: '10.0.20.0/24' });
    new VirtualMachine(lab, 'a', { interfaces: [{ network: nat, ip: '10.0.20.10', mac: '00:16:3e:00:00:01' }] });
    new VirtualMachine(lab, 'b', { name: 'a', rootDisk: { name: 'other' }, interfaces: [{ network: nat, ip: '10.0.20.10', mac: '00:16:3E:00:00:01' }] });
    new Volume(lab, 'a-disk', { size: '1G' });
    expect(lab.validateLab().map(formatIssue)).toEqual([
      'lab/b: name = "a": VM names must be unique in the stack, and lab/a already uses it',
      'lab/b: interfaces[0].mac = "00:16:3e:00:00:01": MAC addresses must be unique in the stack, and lab/a already uses it',
      'lab/b: interfaces[0].ip = "10.0.20.10": IP addresses must be unique in the stack, and lab/a already uses it',
      'lab/a-disk: name = "a-disk": logical volumes (/dev/vg0/a-disk) must be unique in the stack, and lab/a/RootDisk already uses it',
    ]);
    expect(() => lab.toModel()).toThrow(/4 problems/);
  });

  it('refuses two networks that define one bridge differently', () => {
    const lab = newLab();
    new BridgedNetwork(lab, 'a', { hostInterface: 'eth0' });
    new BridgedNetwork(lab, 'b', { hostInterface: 'eth1' });
    expect(lab.validateLab()).toEqual([expect.objectContaining({ path: 'lab/b', field: 'bridge', value: 'xenbr0' })]);
  });

  it('derives MACs from stack, VM and network names, so they survive reordering interfaces', () => {
    const build = (order: 'ab' | 'ba') => {
      const lab = newLab('same');
      const a = new BridgedNetwork(lab, 'a', { bridge: 'br-a', hostInterface: 'eth0' });
      const b = new BridgedNetwork(lab, 'b', { bridge: 'br-b', hostInterface: 'eth1' });
      const vm = new VirtualMachine(lab, 'vm');
      for (const n of order === 'ab' ? [a, b] : [b, a]) vm.addInterface(n);
      return Object.fromEntries(lab.toModel().vms[0].nics.map((nic) => [nic.network, nic.mac]));
    };
    expect(build('ab')).toEqual(build('ba'));
    const other = newLab('other');
    new VirtualMachine(other, 'vm').addInterface(new BridgedNetwork(other, 'a', { bridge: 'br-a', hostInterface: 'eth0' }));
    expect(other.toModel().vms[0].nics[0].mac).not.toBe(build('ab').a);
  });

  it('refuses a stack id that cannot name files', () => {
    expect(issuesOf(() => new LabStack(newLab().node.scope!, 'bad lab'))[0]).toMatchObject({ field: 'id', value: 'bad lab' });
  });
});
