'use strict';
// Generated benchmark labs: N VMs on a Xen libvirt host (so both xl.cfg files and Terraform
// resources are written), each with an LV disk and a NIC on a bridged network, every tenth with an
// extra volume of its own.
const { writeFileSync } = require('node:fs');
const { stringify } = require('yaml');

function benchLab(count) {
  const vms = {};
  const volumes = {};
  for (let i = 0; i < count; i++) {
    const name = `vm${String(i).padStart(5, '0')}`;
    const vm = { memoryMiB: 1024, boot: 'pygrub', host: 'xen1', rootDisk: { volumeGroup: 'vg0', size: '10G' }, interfaces: [{ network: 'lan' }] };
    if (i % 10 === 0) {
      volumes[`${name}-data`] = { volumeGroup: 'vg0', size: '20G' };
      vm.volumes = [{ volume: `${name}-data` }];
    }
    vms[name] = vm;
  }
  return {
    name: `bench-${count}`,
    hosts: { xen1: { hypervisor: 'xen', uri: 'xen:///system' } },
    networks: { lan: { kind: 'bridged', bridge: 'xenbr0', hostInterface: 'eth0' } },
    volumes,
    vms,
  };
}

/** Terraform resources virtlab makes for a bench lab: a domain and a volume per VM, the extra volumes, one pool and one network. */
function resourceCount(count) {
  return count * 2 + Math.ceil(count / 10) + 2;
}

function writeBenchLab(count, file) {
  writeFileSync(file, stringify(benchLab(count)));
}

module.exports = { benchLab, resourceCount, writeBenchLab };
