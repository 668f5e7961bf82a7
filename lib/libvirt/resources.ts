import { Construct } from 'constructs';
import type * as Bindings from './bindings';
import { terraformLiteral } from './literal';
import type { Domain, DomainDevicesDisks, DomainDevicesInterfaces, DomainOs } from '../../.gen/providers/libvirt/domain';
import type { Network } from '../../.gen/providers/libvirt/network';
import type { Pool } from '../../.gen/providers/libvirt/pool';
import type { Volume } from '../../.gen/providers/libvirt/volume';
import { HVM_CDROM_VDEV } from '../model/devices';
import { HostModel, LabModel, LogicalVolumeModel, NetworkModel, VmModel } from '../model/types';
import { parseSubnet } from '../model/ipv4';

/** The libvirt resources of a lab, by the names of what they stand for. */
export interface LibvirtResources {
  /** libvirt_domain per VM name. */
  readonly domains: ReadonlyMap<string, Domain>;
  /** libvirt_volume per LV device path (`/dev/vg/lv`). */
  readonly volumes: ReadonlyMap<string, Volume>;
  /** libvirt_pool per host name and volume group (`host/vg`). */
  readonly pools: ReadonlyMap<string, Pool>;
  /** libvirt_network per host name and network name (`host/network`). */
  readonly networks: ReadonlyMap<string, Network>;
}

/** A construct to hold a host's resources, and the provider they use. */
export interface HostScope {
  readonly scope: Construct;
  readonly provider: import('cdktf').TerraformProvider;
}

/**
 * Maps a validated lab model onto dmacvicar/libvirt 0.9 resources, one host at a time:
 * a `logical` pool per volume group, a volume per logical volume, a network per lab network a
 * host's VMs join, and a domain per VM. References between them are Terraform tokens (a domain's
 * NIC names its network through the network resource), never copied strings.
 */
export function addLibvirtResources(lab: LabModel, hostScopes: ReadonlyMap<string, HostScope>): LibvirtResources {
  if (lab.hosts.length === 0) return { domains: new Map(), volumes: new Map(), pools: new Map(), networks: new Map() };
  // The generated bindings are loaded only for labs that use libvirt.
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const { Domain, Network, Pool, Volume } = require('./bindings') as typeof Bindings;
  const domains = new Map<string, Domain>();
  const volumes = new Map<string, Volume>();
  const pools = new Map<string, Pool>();
  const networks = new Map<string, Network>();

  for (const host of lab.hosts) {
    const { scope, provider } = hostScopes.get(host.name)!;
    const vms = lab.vms.filter((vm) => vm.host === host.name);
    const lvs = lab.logicalVolumes.filter((lv) => lv.host === host.name);

    for (const lv of lvs) {
      const poolKey = `${host.name}/${lv.volumeGroup}`;
      let pool = pools.get(poolKey);
      if (!pool) {
        pool = new Pool(groupScope(scope, lv.volumeGroup), 'pool', {
          provider, name: lv.volumeGroup, type: 'logical',
          source: { name: lv.volumeGroup }, target: { path: `/dev/${lv.volumeGroup}` },
          // Deleting a logical pool removes the volume group with every volume in it.
          lifecycle: { preventDestroy: true },
        });
        pools.set(poolKey, pool);
      }
      volumes.set(lv.devicePath, volumeResource(Volume, groupScope(scope, lv.volumeGroup), lv, pool, provider));
    }

    const used = new Set(vms.flatMap((vm) => vm.nics.map((nic) => nic.network)));
    for (const network of lab.networks.filter((n) => used.has(n.name))) {
      networks.set(`${host.name}/${network.name}`, networkResource(Network, scope, network, vms, provider));
    }

    for (const vm of vms) {
      domains.set(vm.name, new Domain(scope, `domain-${vm.name}`, {
        provider,
        ...domainConfig(vm, host, (path) => volumes.get(path)!, (name) => networks.get(`${host.name}/${name}`)!),
      }));
    }
  }
  return { domains, volumes, pools, networks };
}

/** One construct per volume group on a host, holding its pool and volumes. */
function groupScope(host: Construct, volumeGroup: string): Construct {
  const id = `vg-${volumeGroup}`;
  return (host.node.tryFindChild(id) as Construct | undefined) ?? new Construct(host, id);
}

function volumeResource(Volume: typeof Bindings.Volume, scope: Construct, lv: LogicalVolumeModel, pool: Pool, provider: HostScope['provider']): Volume {
  return new Volume(scope, lv.name, {
    provider,
    name: lv.name,
    pool: pool.name,
    capacity: lv.sizeBytes,
    lifecycle: lv.preventDestroy ? { preventDestroy: true } : undefined,
  });
}

function networkResource(Network: typeof Bindings.Network, scope: Construct, network: NetworkModel, vms: readonly VmModel[], provider: HostScope['provider']): Network {
  const common = { provider, name: network.name, autostart: true };
  if (network.kind === 'bridged') {
    return new Network(scope, `network-${network.name}`, { ...common, forward: { mode: 'bridge' }, bridge: { name: network.bridge } });
  }
  const subnet = parseSubnet(network.subnet)!;
  const hosts = vms.flatMap((vm) => vm.nics
    .filter((nic) => nic.network === network.name && nic.ip !== undefined)
    .map((nic) => ({ mac: nic.mac, ip: nic.ip, name: vm.name })));
  const ranges = network.dhcpRange ? [{ start: network.dhcpRange.start, end: network.dhcpRange.end }] : [];
  return new Network(scope, `network-${network.name}`, {
    ...common,
    forward: network.kind === 'nat' ? { mode: 'nat' } : { mode: 'route', dev: network.hostInterface },
    ips: [{
      address: network.gateway,
      prefix: subnet.prefixLength,
      dhcp: hosts.length || ranges.length ? { ...(ranges.length ? { ranges } : {}), ...(hosts.length ? { hosts } : {}) } : undefined,
    }],
  });
}

/** libvirt's `<os><type>` for a guest on a host. */
export function osType(vm: VmModel, host: HostModel): string {
  if (host.hypervisor === 'kvm' || vm.type === 'hvm') return 'hvm';
  return vm.type === 'pvh' ? 'xenpvh' : 'linux';
}

/** Guest disk names: Xen keeps xl's xvdX on the xen bus; KVM uses virtio's vdX. */
function diskTarget(vdev: string, host: HostModel) {
  return host.hypervisor === 'xen' ? { dev: vdev, bus: 'xen' } : { dev: vdev.replace(/^xvd/, 'vd'), bus: 'virtio' };
}

function domainConfig(vm: VmModel, host: HostModel, volumeAt: (path: string) => Volume, networkNamed: (name: string) => Network) {
  const xen = host.hypervisor === 'xen';
  const disks: DomainDevicesDisks[] = vm.disks.map((disk) => ({
    device: 'disk',
    source: { block: { dev: volumeAt(disk.target).path } },
    target: diskTarget(disk.vdev, host),
    ...(xen ? {} : { driver: { name: 'qemu', type: 'raw' } }),
    ...(disk.access === 'ro' ? { readOnly: true } : {}),
    ...(disk.shareable ? { shareable: true } : {}),
  }));
  const os: DomainOs = { type: osType(vm, host), ...(xen ? {} : { typeArch: 'x86_64' }) };
  let bootloader: string | undefined;
  let onReboot: string = vm.onReboot;
  switch (vm.boot.kind) {
    case 'installer':
      // The install phase, as <vm>.install.cfg: switch the VM to Boot.pygrub() once installed.
      Object.assign(os, {
        kernel: terraformLiteral(vm.boot.installer.kernel.path),
        initrd: vm.boot.installer.ramdisk && terraformLiteral(vm.boot.installer.ramdisk.path),
        cmdline: terraformLiteral(vm.boot.installer.extra),
      });
      onReboot = 'destroy';
      break;
    case 'pygrub':
      bootloader = 'pygrub';
      break;
    case 'hvm-iso':
      // The disk boots first; while it holds no system, the installation ISO does.
      disks.push({
        device: 'cdrom', readOnly: true, source: { file: { file: terraformLiteral(vm.boot.iso) } },
        target: xen ? { dev: HVM_CDROM_VDEV, bus: 'ide' } : { dev: 'sda', bus: 'sata' },
      });
      Object.assign(os, { bootDevices: [{ dev: 'hd' }, { dev: 'cdrom' }] });
      break;
    case 'hvm-disk':
      Object.assign(os, { bootDevices: [{ dev: 'hd' }] });
      break;
  }
  const interfaces: DomainDevicesInterfaces[] = vm.nics.map((nic) => ({
    mac: { address: nic.mac },
    source: { network: { network: networkNamed(nic.network).name } },
    ...(xen ? {} : { model: { type: 'virtio' } }),
  }));
  const paravirtual = xen && vm.type !== 'hvm';
  return {
    name: vm.name,
    type: host.hypervisor,
    memory: vm.memoryMiB,
    memoryUnit: 'MiB',
    vcpu: vm.vcpus,
    running: true,
    onPoweroff: vm.onPoweroff,
    onReboot,
    onCrash: vm.onCrash,
    bootloader,
    os,
    // libvirt's libxl driver enables PAE, APIC and ACPI for HVM guests only when asked (xl's
    // defaults are on); KVM guests need ACPI for a clean shutdown.
    ...(vm.type === 'hvm' ? { features: { acpi: true, apic: {}, pae: true } } : {}),
    devices: {
      disks,
      interfaces,
      consoles: [{ target: { type: paravirtual ? 'xen' : 'serial', port: 0 } }],
      ...(vm.type === 'hvm' ? { graphics: [{ vnc: { autoPort: true, listen: '127.0.0.1' } }] } : {}),
    },
  };
}
