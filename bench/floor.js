#!/usr/bin/env node
'use strict';
// The floor: a plain cdktf app, compiled and in-process, emitting the same Terraform resources a
// bench lab of N VMs makes (a domain and a volume per VM, an extra volume every tenth VM, a pool
// and a network), with the same attributes, and none of virtlab's logic: no model, no validation,
// no xl.cfg or dom0 files. With --tuned, cdktf's token stack traces are off, as virtlab runs it.
// Usage: node bench/floor.js N OUTDIR [--tuned]
if (process.argv.includes('--tuned')) require('../dist/lib/synth/cdktf-tuning').disableTokenStackTraces();
const { App, TerraformStack, LocalBackend } = require('cdktf');
const { LibvirtProvider } = require('../dist/.gen/providers/libvirt/provider');
const { Domain } = require('../dist/.gen/providers/libvirt/domain');
const { Volume } = require('../dist/.gen/providers/libvirt/volume');
const { Pool } = require('../dist/.gen/providers/libvirt/pool');
const { Network } = require('../dist/.gen/providers/libvirt/network');

const count = Number(process.argv[2]);
const app = new App({ outdir: process.argv[3], stackTraces: false, skipBackendValidation: true });
const stack = new TerraformStack(app, `floor-${count}`);
new LocalBackend(stack, { path: 'terraform.tfstate' });
const provider = new LibvirtProvider(stack, 'provider', { uri: 'xen:///system' });
const pool = new Pool(stack, 'pool', { provider, name: 'vg0', type: 'logical', source: { name: 'vg0' }, target: { path: '/dev/vg0' }, lifecycle: { preventDestroy: true } });
const network = new Network(stack, 'network', { provider, name: 'lan', autostart: true, forward: { mode: 'bridge' }, bridge: { name: 'xenbr0' } });
for (let i = 0; i < count; i++) {
  const name = `vm${String(i).padStart(5, '0')}`;
  const disks = [];
  const root = new Volume(stack, `${name}-disk`, { provider, name: `${name}-disk`, pool: pool.name, capacity: 10737418240, lifecycle: { preventDestroy: true } });
  disks.push({ device: 'disk', source: { block: { dev: root.path } }, target: { dev: 'xvda', bus: 'xen' } });
  if (i % 10 === 0) {
    const data = new Volume(stack, `${name}-data`, { provider, name: `${name}-data`, pool: pool.name, capacity: 21474836480, lifecycle: { preventDestroy: true } });
    disks.push({ device: 'disk', source: { block: { dev: data.path } }, target: { dev: 'xvdb', bus: 'xen' } });
  }
  new Domain(stack, name, {
    provider, name, type: 'xen', memory: 1024, memoryUnit: 'MiB', vcpu: 1, running: true,
    onPoweroff: 'destroy', onReboot: 'restart', onCrash: 'destroy', bootloader: 'pygrub', os: { type: 'linux' },
    devices: {
      disks,
      interfaces: [{ mac: { address: '00:16:3e:00:00:00' }, source: { network: { network: network.name } } }],
      consoles: [{ target: { type: 'xen', port: 0 } }],
    },
  });
}
app.synth();
