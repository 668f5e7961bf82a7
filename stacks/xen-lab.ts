import { Construct } from 'constructs';
import { Boot } from '../lib/constructs/boot';
import { Installer } from '../lib/constructs/installer';
import { LabStack } from '../lib/constructs/lab-stack';
import { BridgedNetwork, NatNetwork, RoutedNetwork } from '../lib/constructs/networks';
import { VirtualMachine } from '../lib/constructs/virtual-machine';
import { Volume } from '../lib/constructs/volume';

/**
 * The classic Xen lab (see the course notes): vm01 gets a 10G logical volume on vg0, boots the
 * netboot installer kernel once (vm01.install.cfg) and pygrub after that (vm01.cfg), bridged on
 * xenbr0. vm02 and vm03 show the two other network modes, routed and NAT, which need static IPs,
 * and a shared volume, read-only in both guests that use it, shows storage not tied to one guest.
 */
export class XenLabStack extends LabStack {
  constructor(scope: Construct, id: string) {
    super(scope, id, { description: 'The classic Xen lab: an installer-booted PV guest on a bridge, plus routed, NAT and a shared volume' });

    const lan = new BridgedNetwork(this, 'lan', { bridge: 'xenbr0', hostInterface: 'eth0' });
    // Routed and NAT traffic leaves through dom0's address, which lives on the bridge once eth0 is its port.
    const routed = new RoutedNetwork(this, 'routed', { subnet: '10.0.10.0/24', gatewayDevice: 'xenbr0' });
    const nat = new NatNetwork(this, 'nat', { subnet: '10.0.20.0/24', outboundInterface: 'xenbr0' });

    const vm01 = new VirtualMachine(this, 'vm01', {
      memoryMiB: 1024,
      vcpus: 2,
      boot: Boot.installer(Installer.debian12()),
      rootDisk: { volumeGroup: 'vg0', size: '10G' },
      interfaces: [{ network: lan }],
    });

    const vm02 = new VirtualMachine(this, 'vm02', {
      memoryMiB: 1024,
      boot: Boot.installer(Installer.ubuntu1804()),
      rootDisk: { volumeGroup: 'vg0', size: '8G' },
      interfaces: [{ network: routed, ip: '10.0.10.2' }],
    });

    new VirtualMachine(this, 'vm03', {
      type: 'hvm',
      memoryMiB: 2048,
      vcpus: 2,
      boot: Boot.hvmIso('/var/lib/xen/images/debian-12-netinst.iso'),
      rootDisk: { volumeGroup: 'vg0', size: '16G' },
      interfaces: [{ network: nat, ip: '10.0.20.10' }],
    });

    // Under xl a volume shared by several guests is read-only in all of them.
    const shared = new Volume(this, 'shared-data', { volumeGroup: 'vg0', size: '20G' });
    vm01.attachVolume(shared, { readOnly: true });
    vm02.attachVolume(shared, { readOnly: true });
  }
}
