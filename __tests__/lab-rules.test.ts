import { Boot, BridgedNetwork, Installer, LibvirtHost, NatNetwork, RoutedNetwork, VirtualMachine, Volume, formatIssue } from '../lib';
import { issuesOf, newLab } from './support/lab';

/** Rules that guard against labs that synthesize fine but fail on a real dom0 or host. */
describe('lab rules learned from real hosts', () => {
  it('refuse two VMs whose xl files would collide (a.install vs a\'s install phase)', () => {
    const lab = newLab();
    new VirtualMachine(lab, 'a');
    new VirtualMachine(lab, 'a.install', { boot: Boot.pygrub() });
    expect(lab.validateLab().map(formatIssue)).toEqual([
      'lab/a.install: name = "a.install": must not end in ".install" for a VM that gets xl.cfg files: <vm>.install.cfg is the install phase of the VM named <vm>',
    ]);
  });

  it('refuse two installers downloading different files to one path', () => {
    const lab = newLab();
    new VirtualMachine(lab, 'a', { boot: Boot.installer(Installer.debian12()) });
    new VirtualMachine(lab, 'b', { boot: Boot.installer(Installer.debian12({ mirror: 'http://mirror.lab/debian' })) });
    expect(lab.validateLab().map((i) => [i.path, i.field, i.rule])).toEqual([
      ['lab/b', 'boot.installer.kernel', expect.stringMatching(/downloads to \/var\/lib\/xen\/images\/debian-12\/vmlinuz, where lab\/a downloads https:/)],
      ['lab/b', 'boot.installer.ramdisk', expect.stringMatching(/downloads to \/var\/lib\/xen\/images\/debian-12\/initrd.gz/)],
    ]);
  });

  it('refuse routing or masquerading through an interface enslaved to a bridge', () => {
    const lab = newLab();
    const lan = new BridgedNetwork(lab, 'lan', { bridge: 'xenbr0', hostInterface: 'eth0' });
    const routed = new RoutedNetwork(lab, 'routed', { subnet: '10.0.10.0/24', gatewayDevice: 'eth0' });
    const nat = new NatNetwork(lab, 'nat', { subnet: '10.0.20.0/24', outboundInterface: 'eth0' });
    new VirtualMachine(lab, 'a', { interfaces: [{ network: lan }, { network: routed, ip: '10.0.10.2' }, { network: nat, ip: '10.0.20.2' }] });
    expect(lab.validateLab().map(formatIssue)).toEqual([
      'lab/routed: gatewayDevice = "eth0": is a port of bridge xenbr0 (lab/lan), so dom0\'s address is on xenbr0; use "xenbr0"',
      'lab/nat: outboundInterface = "eth0": is a port of bridge xenbr0 (lab/lan), so dom0\'s address is on xenbr0; use "xenbr0"',
    ]);
  });

  it('refuse overlapping routed and NAT subnets', () => {
    const lab = newLab();
    new RoutedNetwork(lab, 'r', { subnet: '10.0.0.0/16' });
    new NatNetwork(lab, 'n', { subnet: '10.0.20.0/24' });
    expect(lab.validateLab().map(formatIssue)).toEqual(['lab/n: subnet = "10.0.20.0/24": overlaps 10.0.0.0/16 of lab/r']);
  });

  it('keep a NAT guest\'s vif-nat gateway inside its subnet', () => {
    const nat = new NatNetwork(newLab(), 'n', { subnet: '10.0.0.0/25' });
    const vm = () => new VirtualMachine(nat.node.scope!, `vm${Math.random().toString(36).slice(2, 8)}`, { interfaces: [{ network: nat, ip: '10.0.0.100' }] });
    expect(issuesOf(vm)[0].rule).toMatch(/gateway 10.0.0.227 .*must be inside the network 10.0.0.0\/25/);
  });

  it.each([['0.0.0.0', 'unspecified'], ['255.255.255.255', 'broadcast'], ['224.0.0.1', 'multicast'], ['127.0.0.1', 'loopback']])(
    'refuse the non-unicast guest address %s', (ip, kind) => {
      const lab = newLab();
      const lan = new BridgedNetwork(lab, 'lan');
      expect(issuesOf(() => new VirtualMachine(lab, 'a', { interfaces: [{ network: lan, ip }] }))[0].rule).toContain(kind);
    });

  it('refuse Domain-0 and an all-zero MAC', () => {
    const lab = newLab();
    const lan = new BridgedNetwork(lab, 'lan');
    expect(issuesOf(() => new VirtualMachine(lab, 'Domain-0'))[0].rule).toMatch(/dom0's own name/);
    expect(issuesOf(() => new VirtualMachine(lab, 'z', { interfaces: [{ network: lan, mac: '00:00:00:00:00:00' }] }))[0].rule).toMatch(/not be all zeros/);
  });

  it('refuse an ISO that is one of the lab\'s logical volumes', () => {
    const lab = newLab();
    new VirtualMachine(lab, 'a');
    new VirtualMachine(lab, 'b', { type: 'hvm', boot: Boot.hvmIso('/dev/vg0/a-disk') });
    expect(lab.validateLab().map((i) => [i.path, i.field])).toEqual([['lab/b', 'boot.iso']]);
  });

  it('refuse a volume no VM attaches (it would be created nowhere)', () => {
    const lab = newLab();
    new Volume(lab, 'orphan', { size: '1G' });
    expect(lab.validateLab().map(formatIssue)).toEqual(['lab/orphan: attachments = []: a volume must be attached to at least one VM: it is created on the machine of the VMs using it']);
  });

  it('report an unparsable download URL and a bad mirror as rule violations', () => {
    const lab = newLab();
    expect(issuesOf(() => new VirtualMachine(lab, 'a', { boot: Boot.installer(Installer.custom({ name: 'x', kernel: 'https://h/a%zz' })) }))[0])
      .toMatchObject({ field: 'boot.installer.kernel', rule: expect.stringMatching(/plain file name/) });
    expect(issuesOf(() => new VirtualMachine(lab, 'b', { boot: Boot.installer(Installer.debian12({ mirror: 'ftp://x' })) }))[0])
      .toMatchObject({ field: 'boot.installer.mirror', value: 'ftp://x' });
  });

  it('leave no half-built construct behind when one is refused', () => {
    const lab = newLab();
    expect(() => new VirtualMachine(lab, 'bad', { memoryMiB: 1 })).toThrow();
    new VirtualMachine(lab, 'bad', { memoryMiB: 512 });
    expect(lab.toModel().vms.map((vm) => vm.memoryMiB)).toEqual([512]);
  });

  it('allow on KVM what only xl forbids: a NAT address above .127, shared writers', () => {
    const lab = newLab();
    const kvm = new LibvirtHost(lab, 'kvm1');
    const nat = new NatNetwork(lab, 'n', { subnet: '10.0.0.0/24' });
    const data = new Volume(lab, 'data', { size: '1G', shareable: true });
    const a = new VirtualMachine(lab, 'a', { host: kvm, type: 'hvm', interfaces: [{ network: nat, ip: '10.0.0.200' }] });
    const b = new VirtualMachine(lab, 'b', { host: kvm, type: 'hvm' });
    a.attachVolume(data);
    b.attachVolume(data);
    expect(lab.validateLab()).toEqual([]);
  });
});
