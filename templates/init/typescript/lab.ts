import { BridgedNetwork, Construct, Installer, Boot, LabStack, VirtualMachine } from 'virtlab';

/** The lab: add VMs, networks and volumes here (see virtlab's README for every construct). */
export class Lab extends LabStack {
  constructor(scope: Construct, id: string) {
    super(scope, id, { description: 'A Xen lab made with virtlab init' });
    const lan = new BridgedNetwork(this, 'lan', { bridge: 'xenbr0', hostInterface: 'eth0' });
    new VirtualMachine(this, 'vm01', {
      memoryMiB: 1024,
      boot: Boot.installer(Installer.debian12()),
      rootDisk: { volumeGroup: 'vg0', size: '10G' },
      interfaces: [{ network: lan }],
    });
  }
}
