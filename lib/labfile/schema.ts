import { INSTALLER_CATALOG } from '../constructs/installer';
import { GUEST_TYPES, HYPERVISORS, SHUTDOWN_ACTIONS } from '../model/types';

/**
 * JSON Schema (draft-07) of virtlab lab files. It fixes the structure (keys, types, enums);
 * naming, range and address rules are the constructs' own, so a lab file and a TypeScript lab
 * are checked by the same code. `npm run schema:lab` publishes it as schema/lab.schema.json for
 * editors (YAML language servers read `# yaml-language-server: $schema=…`).
 */
const text = (description: string) => ({ type: 'string', description });
const logicalVolume = {
  type: 'object',
  additionalProperties: false,
  properties: {
    volumeGroup: text('LVM volume group on the host (default "vg0")'),
    name: text('Logical volume name (default derived from the VM name)'),
    size: text('Size with a binary unit, e.g. "10G" or "512M"'),
    preventDestroy: { type: 'boolean', description: 'Terraform lifecycle.prevent_destroy on libvirt hosts (default true)' },
  },
};
const addressing = {
  gateway: text("The host's address on the subnet for libvirt hosts (default the first host address)"),
  dhcp: {
    type: 'object',
    additionalProperties: false,
    required: ['start', 'end'],
    properties: { start: text('First address of the DHCP range'), end: text('Last address of the DHCP range') },
  },
};
const actions = { type: 'string', enum: [...SHUTDOWN_ACTIONS] };

export const LAB_FILE_SCHEMA = {
  $schema: 'http://json-schema.org/draft-07/schema#',
  title: 'virtlab lab file',
  description: 'A lab of Xen and libvirt virtual machines: hosts, networks, volumes and VMs, keyed by their ids.',
  type: 'object',
  additionalProperties: false,
  required: ['name'],
  properties: {
    $schema: text('The schema of this file, for editors'),
    name: text('Stack id: names the output directory, and seeds derived MAC addresses'),
    description: text('One line shown by `virtlab list`'),
    stateFile: text('Terraform state file, relative to the stack output directory'),
    hosts: {
      type: 'object',
      description: 'libvirt hosts by id',
      additionalProperties: {
        type: 'object',
        additionalProperties: false,
        properties: {
          hypervisor: { type: 'string', enum: [...HYPERVISORS] },
          uri: text('libvirt connection URI, e.g. qemu:///system or xen+ssh://root@host/system'),
        },
      },
    },
    networks: {
      type: 'object',
      description: 'Networks by id',
      additionalProperties: {
        type: 'object',
        required: ['kind'],
        properties: { kind: { type: 'string', enum: ['bridged', 'routed', 'nat'] } },
        discriminator: { propertyName: 'kind' },
        oneOf: [
          {
            type: 'object',
            additionalProperties: false,
            properties: {
              kind: { const: 'bridged' },
              name: text('Network name (default the id)'),
              bridge: text('Dom0 bridge (default "xenbr0")'),
              hostInterface: text('Physical interface enslaved to the bridge (default "eth0")'),
              bridgeAddressing: { type: 'string', enum: ['dhcp', 'manual'] },
              subnet: text('Subnet in CIDR notation, to check guest addresses against'),
            },
          },
          {
            type: 'object',
            additionalProperties: false,
            required: ['subnet'],
            properties: {
              kind: { const: 'routed' },
              name: text('Network name (default the id)'),
              subnet: text('Subnet in CIDR notation'),
              gatewayDevice: text('Dom0 interface routing the guests (default "eth0")'),
              ...addressing,
            },
          },
          {
            type: 'object',
            additionalProperties: false,
            required: ['subnet'],
            properties: {
              kind: { const: 'nat' },
              name: text('Network name (default the id)'),
              subnet: text('Subnet in CIDR notation'),
              outboundInterface: text('Dom0 interface masquerading the guests (default "eth0")'),
              ...addressing,
            },
          },
        ],
      },
    },
    volumes: {
      type: 'object',
      description: 'Volumes not tied to one VM, by id',
      additionalProperties: {
        type: 'object',
        additionalProperties: false,
        required: ['size'],
        properties: {
          name: text('Logical volume name (default the id)'),
          volumeGroup: logicalVolume.properties.volumeGroup,
          size: logicalVolume.properties.size,
          shareable: { type: 'boolean', description: 'Allow several read-write attachments (cluster file systems only)' },
          preventDestroy: logicalVolume.properties.preventDestroy,
        },
      },
    },
    vms: {
      type: 'object',
      description: 'Virtual machines by id',
      additionalProperties: {
        type: 'object',
        additionalProperties: false,
        properties: {
          name: text('Xen domain name (default the id)'),
          type: { type: 'string', enum: [...GUEST_TYPES] },
          memoryMiB: { type: 'integer', description: 'Memory in MiB (default 1024)' },
          vcpus: { type: 'integer', description: 'Virtual CPUs (default 1)' },
          host: text('Id of the libvirt host the VM runs on'),
          boot: {
            description: '"pygrub", "disk" (HVM), {installer: CATALOG-NAME or {...}} or {iso: PATH} (HVM)',
            oneOf: [
              { type: 'string', enum: ['pygrub', 'disk'] },
              {
                type: 'object',
                additionalProperties: false,
                required: ['installer'],
                properties: {
                  installer: {
                    oneOf: [
                      { type: 'string', enum: Object.keys(INSTALLER_CATALOG) },
                      {
                        type: 'object',
                        additionalProperties: false,
                        required: ['catalog'],
                        properties: {
                          catalog: { type: 'string', enum: Object.keys(INSTALLER_CATALOG) },
                          mirror: text('Mirror base URL'),
                          extra: text('Kernel command line'),
                          imageDirectory: text('Directory on dom0 for downloaded files'),
                        },
                      },
                      {
                        type: 'object',
                        additionalProperties: false,
                        required: ['name', 'kernel'],
                        properties: {
                          name: text('Installer name'),
                          description: text('One line describing the installer'),
                          kernel: text('Kernel URL or absolute path on dom0'),
                          ramdisk: text('Ramdisk URL or absolute path on dom0'),
                          extra: text('Kernel command line'),
                          imageDirectory: text('Directory on dom0 for downloaded files'),
                        },
                      },
                    ],
                  },
                },
              },
              {
                type: 'object',
                additionalProperties: false,
                required: ['iso'],
                properties: { iso: text('Absolute path of the installation ISO on the host') },
              },
            ],
          },
          rootDisk: logicalVolume,
          disks: { type: 'array', items: logicalVolume, description: 'Further LV disks' },
          interfaces: {
            type: 'array',
            items: {
              type: 'object',
              additionalProperties: false,
              required: ['network'],
              properties: {
                network: text('Id of the network'),
                ip: text('Static IPv4 address'),
                mac: text('MAC address (default derived in 00:16:3e)'),
              },
            },
          },
          volumes: {
            type: 'array',
            items: {
              type: 'object',
              additionalProperties: false,
              required: ['volume'],
              properties: { volume: text('Id of the volume'), readOnly: { type: 'boolean' } },
            },
          },
          onPoweroff: actions,
          onReboot: actions,
          onCrash: actions,
        },
      },
    },
  },
} as const;
