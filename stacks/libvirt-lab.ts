import { Construct } from 'constructs';
import { Boot } from '../lib/constructs/boot';
import { Installer } from '../lib/constructs/installer';
import { LabStack } from '../lib/constructs/lab-stack';
import { LibvirtHost } from '../lib/constructs/libvirt-host';
import { BridgedNetwork, NatNetwork, RoutedNetwork } from '../lib/constructs/networks';
import { VirtualMachine } from '../lib/constructs/virtual-machine';
import { Volume } from '../lib/constructs/volume';

/**
 * Labs on libvirt hosts, applied with Terraform (dmacvicar/libvirt 0.9). A KVM host runs two VMs
 * on LV disks of a logical pool, a NAT network with DHCP, a routed network and a data volume both
 * VMs read. A second host, running Xen through libvirt, shows how a stack spans machines (provider
 * aliases) and that a Xen VM's libvirt_domain and its xl.cfg describe the same guest.
 */
export class LibvirtLabStack extends LabStack {
  constructor(scope: Construct, id: string) {
    super(scope, id, { description: 'KVM and Xen hosts through libvirt and Terraform: NAT with DHCP, routed, bridged, a shared data volume' });

    const kvm = new LibvirtHost(this, 'kvm1', { hypervisor: 'kvm', uri: 'qemu:///system' });
    const nat = new NatNetwork(this, 'lab-nat', {
      subnet: '192.168.100.0/24',
      dhcp: { start: '192.168.100.100', end: '192.168.100.199' },
    });
    const routed = new RoutedNetwork(this, 'lab-routed', { subnet: '10.10.0.0/24', gatewayDevice: 'eth0' });

    const web = new VirtualMachine(this, 'web', {
      host: kvm,
      type: 'hvm',
      memoryMiB: 2048,
      vcpus: 2,
      boot: Boot.hvmIso('/var/lib/libvirt/images/debian-12-netinst.iso'),
      rootDisk: { volumeGroup: 'vg0', size: '20G' },
      interfaces: [{ network: nat, ip: '192.168.100.10' }, { network: routed, ip: '10.10.0.10' }],
    });
    const db = new VirtualMachine(this, 'db', {
      host: kvm,
      type: 'hvm',
      memoryMiB: 4096,
      vcpus: 2,
      boot: Boot.hvmIso('/var/lib/libvirt/images/debian-12-netinst.iso'),
      rootDisk: { volumeGroup: 'vg0', size: '40G' },
      interfaces: [{ network: nat, ip: '192.168.100.11' }],
    });
    const datasets = new Volume(this, 'datasets', { volumeGroup: 'vg0', size: '100G' });
    web.attachVolume(datasets, { readOnly: true });
    db.attachVolume(datasets, { readOnly: true });

    const xen = new LibvirtHost(this, 'xen1', { hypervisor: 'xen', uri: 'xen+ssh://root@xen1.lab/system' });
    const lan = new BridgedNetwork(this, 'xen-lan', { bridge: 'xenbr0', hostInterface: 'eth0' });
    const xenNat = new NatNetwork(this, 'xen-nat', { subnet: '10.20.0.0/24', outboundInterface: 'xenbr0' });
    new VirtualMachine(this, 'pv01', {
      host: xen,
      boot: Boot.installer(Installer.debian12()),
      rootDisk: { volumeGroup: 'vg-xen', size: '10G' },
      interfaces: [{ network: lan }],
    });
    new VirtualMachine(this, 'pvh01', {
      host: xen,
      type: 'pvh',
      boot: Boot.pygrub(),
      rootDisk: { volumeGroup: 'vg-xen', size: '10G' },
      interfaces: [{ network: lan }, { network: xenNat, ip: '10.20.0.20' }],
    });
    new VirtualMachine(this, 'hvm01', {
      host: xen,
      type: 'hvm',
      memoryMiB: 2048,
      boot: Boot.hvmIso('/var/lib/xen/images/debian-12-netinst.iso'),
      rootDisk: { volumeGroup: 'vg-xen', size: '16G' },
      interfaces: [{ network: xenNat, ip: '10.20.0.30' }],
    });
  }
}
