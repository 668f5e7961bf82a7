import { Construct } from 'constructs';
import { Boot } from '../constructs/boot';
import { Installer } from '../constructs/installer';
import { LabStack } from '../constructs/lab-stack';
import { LibvirtHost } from '../constructs/libvirt-host';
import { BridgedNetwork, NatNetwork, Network, RoutedNetwork } from '../constructs/networks';
import { VirtualMachine } from '../constructs/virtual-machine';
import { Volume } from '../constructs/volume';
import { ValidationError, ValidationIssue, isValidationError } from '../errors';
import { StackDefinition } from '../synth/synthesize';
import { DocumentPath, LabFile, fieldName, readLabFile } from './read';
import { BootDocument, LabDocument, NetworkDocument } from './types';

/**
 * A lab file as a stack definition: the file is read and checked when the stack is defined, and
 * mapped onto the same constructs a TypeScript lab uses. Errors point into the file.
 */
export function labFileStack(file: string): StackDefinition & { readonly id: string } {
  const source = readLabFile(file);
  const locate = issueLocator(source);
  return {
    id: source.lab.name,
    define: (scope, id) => {
      try {
        return defineLab(scope, id, source.lab);
      } catch (error) {
        if (isValidationError(error)) throw new ValidationError(error.issues.map(locate));
        throw error;
      }
    },
    locate,
  };
}

/** Builds the constructs of a lab document. References to hosts, networks and volumes are checked first. */
export function defineLab(scope: Construct, id: string, lab: LabDocument): LabStack {
  const referenceIssues = checkReferences(lab);
  if (referenceIssues.length) throw new ValidationError(referenceIssues);

  const stack = new LabStack(scope, id, { description: lab.description, stateFile: lab.stateFile });
  // Build everything that can be built, so one run reports every problem of the file; what
  // depends on a construct that failed is skipped (its cause is already reported).
  const issues: ValidationIssue[] = [];
  const attempt = <T>(build: () => T): T | undefined => {
    try {
      return build();
    } catch (error) {
      if (!isValidationError(error)) throw error;
      issues.push(...error.issues);
      return undefined;
    }
  };
  const built = <T>(entries: Array<[string, T | undefined]>) => new Map(entries.filter((e): e is [string, T] => e[1] !== undefined));
  const hosts = built(Object.entries(lab.hosts ?? {}).map(([hostId, host]) => [hostId, attempt(() => new LibvirtHost(stack, hostId, host))]));
  const networks = built(Object.entries(lab.networks ?? {}).map(([networkId, network]) => [networkId, attempt(() => defineNetwork(stack, networkId, network))]));
  const volumes = built(Object.entries(lab.volumes ?? {}).map(([volumeId, volume]) => [volumeId, attempt(() => new Volume(stack, volumeId, volume))]));

  for (const [vmId, vm] of Object.entries(lab.vms ?? {})) {
    const needs = [vm.host === undefined || hosts.has(vm.host), ...(vm.interfaces ?? []).map((nic) => networks.has(nic.network)), ...(vm.volumes ?? []).map((v) => volumes.has(v.volume))];
    if (!needs.every(Boolean)) continue;
    const machine = attempt(() => new VirtualMachine(stack, vmId, {
      name: vm.name,
      type: vm.type,
      memoryMiB: vm.memoryMiB,
      vcpus: vm.vcpus,
      host: vm.host === undefined ? undefined : hosts.get(vm.host),
      boot: vm.boot === undefined ? undefined : bootOf(vm.boot),
      rootDisk: vm.rootDisk,
      interfaces: (vm.interfaces ?? []).map(({ network, ...options }) => ({ network: networks.get(network)!, ...options })),
      onPoweroff: vm.onPoweroff,
      onReboot: vm.onReboot,
      onCrash: vm.onCrash,
    }));
    if (!machine) continue;
    for (const disk of vm.disks ?? []) attempt(() => machine.addDisk(disk));
    for (const { volume, readOnly } of vm.volumes ?? []) attempt(() => machine.attachVolume(volumes.get(volume)!, { readOnly }));
  }
  if (issues.length) throw new ValidationError(issues);
  return stack;
}

function defineNetwork(scope: Construct, id: string, network: NetworkDocument): Network {
  switch (network.kind) {
    case 'bridged': {
      const { kind: _kind, ...props } = network;
      return new BridgedNetwork(scope, id, props);
    }
    case 'routed': {
      const { kind: _kind, ...props } = network;
      return new RoutedNetwork(scope, id, props);
    }
    case 'nat': {
      const { kind: _kind, ...props } = network;
      return new NatNetwork(scope, id, props);
    }
  }
}

function bootOf(boot: BootDocument): Boot {
  if (boot === 'pygrub') return Boot.pygrub();
  if (boot === 'disk') return Boot.hvmDisk();
  if ('iso' in boot) return Boot.hvmIso(boot.iso);
  const installer = boot.installer;
  if (typeof installer === 'string') return Boot.installer(Installer.fromCatalog(installer));
  if ('catalog' in installer) {
    const { catalog, ...options } = installer;
    return Boot.installer(Installer.fromCatalog(catalog, options));
  }
  return Boot.installer(Installer.custom(installer));
}

/** Every id a VM names must be defined in its section. */
function checkReferences(lab: LabDocument): ValidationIssue[] {
  const issues: ValidationIssue[] = [];
  const defined = (section: 'hosts' | 'networks' | 'volumes') => Object.keys(lab[section] ?? {});
  const check = (path: DocumentPath, value: string, section: 'hosts' | 'networks' | 'volumes') => {
    const ids = defined(section);
    if (!ids.includes(value)) {
      issues.push({ path: `@${JSON.stringify(path)}`, field: fieldName(path), value,
        rule: `must name one of the ${section} of this file (${ids.length ? ids.join(', ') : `none is defined under ${section}`})` });
    }
  };
  // All ids name constructs of one stack: they must differ across sections too.
  const seen = new Map<string, string>();
  for (const section of ['hosts', 'networks', 'volumes', 'vms'] as const) {
    for (const id of Object.keys(lab[section] ?? {})) {
      const first = seen.get(id);
      if (first) issues.push({ path: `@${JSON.stringify([section, id])}`, field: fieldName([section, id]), value: id, rule: `ids must be unique across hosts, networks, volumes and vms, and ${first} uses it` });
      else seen.set(id, `${section}.${id}`);
    }
  }
  for (const [vmId, vm] of Object.entries(lab.vms ?? {})) {
    if (vm.host !== undefined) check(['vms', vmId, 'host'], vm.host, 'hosts');
    (vm.interfaces ?? []).forEach((nic, i) => check(['vms', vmId, 'interfaces', i, 'network'], nic.network, 'networks'));
    (vm.volumes ?? []).forEach((attachment, i) => check(['vms', vmId, 'volumes', i, 'volume'], attachment.volume, 'volumes'));
  }
  return issues;
}

/**
 * Rewrites an issue of the constructs built from a lab file to point into the file: the construct
 * path (`lab/vm01/RootDisk`) and field (`size`) become the file position and document path
 * (`lab.yaml:14:9`, `vms.vm01.rootDisk.size`).
 */
function issueLocator(source: LabFile): (issue: ValidationIssue) => ValidationIssue {
  const stackId = source.lab.name;
  return (issue) => {
    if (issue.path.startsWith('@')) {
      const path = JSON.parse(issue.path.slice(1)) as DocumentPath;
      return { ...issue, path: source.position(path) };
    }
    if (issue.path !== stackId && !issue.path.startsWith(`${stackId}/`)) return issue;
    const base = documentPathOf(issue.path === stackId ? [] : issue.path.slice(stackId.length + 1).split('/'), source.lab);
    if (!base) return issue;
    const field = issue.field === 'id' && base.length === 0 ? ['name'] : fieldSegments(issue.field);
    const path = [...base, ...field];
    return { ...issue, path: source.position(path), field: fieldName(path) };
  };
}

/** The document path of a construct below the stack, by its construct ids. */
function documentPathOf(ids: string[], lab: LabDocument): DocumentPath | undefined {
  if (ids.length === 0) return [];
  const [id, child] = ids;
  for (const section of ['hosts', 'networks', 'volumes', 'vms'] as const) {
    if (!(lab[section] && id in lab[section]!)) continue;
    if (section !== 'vms' || child === undefined) return [section, id];
    if (child === 'RootDisk') return ['vms', id, 'rootDisk'];
    const disk = /^Disk(\d+)$/.exec(child);
    if (disk) return ['vms', id, 'disks', Number(disk[1]) - 1];
    return ['vms', id];
  }
  return undefined;
}

/** `interfaces[0].ip` → ['interfaces', 0, 'ip']. */
function fieldSegments(field: string): Array<string | number> {
  return field.split('.').flatMap((part) => {
    const match = /^([^[]*)((?:\[\d+\])*)$/.exec(part);
    if (!match) return [part];
    const indices = [...match[2].matchAll(/\[(\d+)\]/g)].map((m) => Number(m[1]));
    return [...(match[1] ? [match[1]] : []), ...indices];
  });
}
