import { Boot, BridgedNetwork, Installer, LabStack, NatNetwork, RoutedNetwork, StackDefinition, VirtualMachine, Volume } from '../../lib';

/**
 * A lab at the edges of what is valid: every guest type and boot method, every network mode,
 * several NICs and disks per guest, non-default shutdown actions, and user text full of quotes,
 * backslashes, commas, spaces and unicode, which must reach xl unchanged.
 */
export const edgeLab: StackDefinition = {
  id: 'edge-lab',
  define: (scope, id) => {
    const lab = new LabStack(scope, id, { description: 'Edge cases of naming and quoting' });
    const lan = new BridgedNetwork(lab, 'lan', { bridge: 'br-lab.10', hostInterface: 'eth1.10', bridgeAddressing: 'manual', subnet: '192.168.50.0/24' });
    const routed = new RoutedNetwork(lab, 'routed', { subnet: '10.9.0.0/16', gatewayDevice: 'bond0' });
    const nat = new NatNetwork(lab, 'nat', { subnet: '172.16.5.0/24', outboundInterface: 'wan0' });

    const quoting = new VirtualMachine(lab, 'quoting.vm_1', {
      type: 'pvh', memoryMiB: 16, vcpus: 128, onPoweroff: 'preserve', onReboot: 'rename-restart', onCrash: 'coredump-restart',
      boot: Boot.installer(Installer.custom({
        name: 'odd-installer', description: 'A "quoted" installer \\ with ünïcode',
        kernel: "https://mirror.example/path%20with/it's/$(id)/vmlinuz", ramdisk: '/srv/images/initrd, "v2".img',
        extra: 'console=hvc0 preseed/url="http://x/p.cfg" quote=\' back\\slash ✓',
      })),
      rootDisk: { volumeGroup: 'vg+fast', name: 'q.disk_root', size: '4M' },
      interfaces: [{ network: lan, ip: '192.168.50.2', mac: '02:00:00:AB:CD:EF' }, { network: routed, ip: '10.9.255.254' }, { network: nat, ip: '172.16.5.127' }],
    });
    quoting.addDisk({ size: '64T' });

    new VirtualMachine(lab, 'hvm-iso', {
      type: 'hvm', memoryMiB: 4096,
      boot: Boot.hvmIso('/srv/iso/debian 12, "netinst".iso'),
      interfaces: [{ network: lan }, { network: lan }],
    });
    new VirtualMachine(lab, 'pygrub', { boot: Boot.pygrub(), interfaces: [{ network: nat, ip: '172.16.5.1' }] });
    const shared = new Volume(lab, 'cluster', { volumeGroup: 'vg0', size: '1T' });
    for (const vm of lab.virtualMachines) vm.attachVolume(shared, { readOnly: true });
    return lab;
  },
};
