#!/usr/bin/env node
// Writes the part of the dmacvicar/libvirt provider schema that virtlab uses.
//
//   node tools/libvirt-provider/subset-schema.js FULL.schema.json > providers/dmacvicar-libvirt.schema.json
//
// FULL is `terraform providers schema -json` output for the provider (../shared/reference holds
// 0.9.7's). Every kept attribute is copied verbatim, so names, types and nesting are exactly the
// provider's; of each kept nested object, every required attribute is kept as well. The subset
// keeps the generated bindings small; `cdktf get` regenerates the full ones where terraform exists.
'use strict';
const { readFileSync } = require('node:fs');

const PROVIDER = 'registry.terraform.io/dmacvicar/libvirt';

/** Attribute paths virtlab sets or reads, per resource. A path keeps its parents. */
const USED = {
  libvirt_domain: [
    'id', 'name', 'type', 'description', 'memory', 'memory_unit', 'vcpu', 'running', 'autostart',
    'on_poweroff', 'on_reboot', 'on_crash', 'bootloader', 'features.acpi', 'features.apic.eoi', 'features.pae',
    'os.type', 'os.type_arch', 'os.kernel', 'os.initrd', 'os.cmdline', 'os.boot_devices.dev',
    'devices.disks.device', 'devices.disks.read_only', 'devices.disks.shareable',
    'devices.disks.source.block.dev', 'devices.disks.source.file.file',
    'devices.disks.target.dev', 'devices.disks.target.bus', 'devices.disks.driver.name', 'devices.disks.driver.type',
    'devices.interfaces.mac.address', 'devices.interfaces.model.type',
    'devices.interfaces.source.network.network', 'devices.interfaces.source.bridge.bridge',
    'devices.consoles.target.type', 'devices.consoles.target.port',
    'devices.graphics.vnc.auto_port', 'devices.graphics.vnc.listen',
  ],
  libvirt_pool: ['id', 'name', 'type', 'source.name', 'target.path'],
  libvirt_volume: ['id', 'name', 'pool', 'path', 'capacity', 'capacity_unit', 'target.format.type'],
  libvirt_network: [
    'id', 'name', 'autostart', 'forward.mode', 'forward.dev', 'bridge.name', 'bridge.stp', 'domain.name',
    'ips.address', 'ips.prefix', 'ips.dhcp.ranges.start', 'ips.dhcp.ranges.end',
    'ips.dhcp.hosts.mac', 'ips.dhcp.hosts.ip', 'ips.dhcp.hosts.name',
  ],
};

function subsetBlock(block, paths, where) {
  const wanted = new Map();
  for (const path of paths) {
    const [head, ...rest] = path.split('.');
    if (!wanted.has(head)) wanted.set(head, []);
    if (rest.length) wanted.get(head).push(rest.join('.'));
  }
  const attributes = {};
  const names = new Set([...wanted.keys(), ...Object.keys(block.attributes).filter((n) => block.attributes[n].required)]);
  for (const name of [...names].sort()) {
    const attribute = block.attributes[name];
    if (!attribute) throw new Error(`${where}.${name}: not in the provider schema`);
    const children = wanted.get(name) ?? [];
    if (attribute.nested_type) {
      attributes[name] = { ...attribute, nested_type: { ...attribute.nested_type, ...subsetBlock(attribute.nested_type, children, `${where}.${name}`) } };
    } else {
      if (children.length) throw new Error(`${where}.${name}: not a nested attribute`);
      attributes[name] = attribute;
    }
  }
  return { attributes };
}

const [file] = process.argv.slice(2);
if (!file) {
  process.stderr.write('usage: subset-schema.js FULL.schema.json > SUBSET.schema.json\n');
  process.exit(2);
}
const full = JSON.parse(readFileSync(file, 'utf8'));
const provider = full.provider_schemas[PROVIDER];
const resource_schemas = {};
for (const [type, paths] of Object.entries(USED)) {
  const schema = provider.resource_schemas[type];
  resource_schemas[type] = { ...schema, block: { ...schema.block, ...subsetBlock(schema.block, paths, type) } };
}
const subset = {
  format_version: full.format_version,
  provider_schemas: { [PROVIDER]: { provider: provider.provider, resource_schemas, data_source_schemas: {} } },
  provider_versions: full.provider_versions,
};
process.stdout.write(`${JSON.stringify(subset, null, 2)}\n`);
