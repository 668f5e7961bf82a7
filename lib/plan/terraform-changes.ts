/**
 * Resource-level changes between two Terraform JSON configurations, as `terraform plan` would
 * classify them: create, update in place, replace, destroy. What forces a replacement is
 * virtlab's model of the dmacvicar/libvirt 0.9 provider (below); `virtlab plan --terraform` asks
 * Terraform itself where it can run.
 */

export type ResourceAction = 'create' | 'update' | 'replace' | 'destroy';

export interface AttributeChange {
  /** Dotted path with list indices, e.g. `devices.disks[0].target.dev`. */
  readonly path: string;
  readonly before?: unknown;
  readonly after?: unknown;
  readonly forcesReplacement: boolean;
}

export interface ResourceChange {
  /** `type.name`, Terraform's resource address. */
  readonly address: string;
  readonly type: string;
  readonly name: string;
  /** The construct path the resource came from. */
  readonly constructPath?: string;
  readonly action: ResourceAction;
  readonly attributes: readonly AttributeChange[];
  /** Replacing or destroying it loses the data it holds. */
  readonly dataLoss: boolean;
  /** The previous configuration has `lifecycle.prevent_destroy`: Terraform will refuse the destroy. */
  readonly preventDestroy: boolean;
}

/** A change to how Terraform reaches the hosts or keeps state (providers, backend, required_providers). */
export interface SettingChange {
  readonly path: string;
  readonly before?: unknown;
  readonly after?: unknown;
}

/** Attributes whose change makes the provider replace the resource (prefixes of attribute paths). */
export const REPLACING_ATTRIBUTES: Readonly<Record<string, readonly string[]>> = {
  libvirt_domain: ['name', 'type'],
  libvirt_volume: ['name', 'pool', 'capacity', 'target'],
  libvirt_pool: ['name', 'type', 'source', 'target'],
  libvirt_network: ['name'],
};

/** Resource types whose destruction destroys data: storage volumes, and the pools holding them. */
export const DATA_HOLDING_TYPES: ReadonlySet<string> = new Set(['libvirt_volume', 'libvirt_pool']);

/** Terraform meta-arguments: how a resource is managed, not what it is; plans leave them out. */
const META_ARGUMENTS = new Set(['provider', 'depends_on', 'count', 'for_each', 'provisioner', 'connection']);

type Resources = Map<string, { type: string; name: string; body: Record<string, unknown>; constructPath?: string }>;

function resourcesOf(config: Record<string, unknown> | undefined): Resources {
  const resources: Resources = new Map();
  const byType = (config?.resource ?? {}) as Record<string, Record<string, Record<string, unknown>>>;
  for (const [type, instances] of Object.entries(byType)) {
    for (const [name, body] of Object.entries(instances)) {
      const metadata = (body['//'] as { metadata?: { path?: string } } | undefined)?.metadata;
      const attributes = Object.fromEntries(Object.entries(body).filter(([key]) => !META_ARGUMENTS.has(key)));
      resources.set(`${type}.${name}`, { type, name, body: withoutMetadata(attributes) as Record<string, unknown>, constructPath: metadata?.path });
    }
  }
  return resources;
}

function withoutMetadata(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(withoutMetadata);
  if (value && typeof value === 'object') {
    return Object.fromEntries(Object.entries(value).filter(([key]) => key !== '//').map(([key, v]) => [key, withoutMetadata(v)]));
  }
  return value;
}

/** Leaf values of a JSON value by dotted path (`a.b[0].c`); empty objects and lists are leaves. */
export function flatten(value: unknown, prefix = '', into = new Map<string, unknown>()): Map<string, unknown> {
  if (Array.isArray(value) && value.length) {
    value.forEach((item, i) => flatten(item, `${prefix}[${i}]`, into));
  } else if (value && typeof value === 'object' && !Array.isArray(value) && Object.keys(value).length) {
    for (const [key, item] of Object.entries(value)) flatten(item, prefix ? `${prefix}.${key}` : key, into);
  } else if (prefix) {
    into.set(prefix, value);
  }
  return into;
}

function forcesReplacement(type: string, path: string): boolean {
  return (REPLACING_ATTRIBUTES[type] ?? []).some((attribute) => path === attribute || path.startsWith(`${attribute}.`) || path.startsWith(`${attribute}[`));
}

/** Every resource change from `before` to `after`, sorted by address. */
export function diffTerraform(before: Record<string, unknown> | undefined, after: Record<string, unknown> | undefined): ResourceChange[] {
  const old = resourcesOf(before);
  const next = resourcesOf(after);
  const addresses = [...new Set([...old.keys(), ...next.keys()])].sort();
  const changes: ResourceChange[] = [];
  for (const address of addresses) {
    const a = old.get(address);
    const b = next.get(address);
    const { type, name } = (b ?? a)!;
    const constructPath = (b ?? a)!.constructPath;
    const beforeLeaves = flatten(a?.body ?? {});
    const afterLeaves = flatten(b?.body ?? {});
    const paths = [...new Set([...beforeLeaves.keys(), ...afterLeaves.keys()])].sort();
    const attributes: AttributeChange[] = paths
      .filter((path) => !a || !b || JSON.stringify(beforeLeaves.get(path)) !== JSON.stringify(afterLeaves.get(path)))
      .map((path) => ({
        path,
        ...(beforeLeaves.has(path) ? { before: beforeLeaves.get(path) } : {}),
        ...(afterLeaves.has(path) ? { after: afterLeaves.get(path) } : {}),
        forcesReplacement: Boolean(a && b) && forcesReplacement(type, path),
      }));
    if (a && b && attributes.length === 0) continue;
    const action: ResourceAction = !a ? 'create' : !b ? 'destroy' : attributes.some((c) => c.forcesReplacement) ? 'replace' : 'update';
    changes.push({
      address, type, name, constructPath, action, attributes,
      dataLoss: DATA_HOLDING_TYPES.has(type) && (action === 'destroy' || action === 'replace'),
      preventDestroy: beforeLeaves.get('lifecycle.prevent_destroy') === true,
    });
  }
  return changes;
}

/** Changes to the provider configurations and the `terraform` block (backend, required providers). */
export function diffSettings(before: Record<string, unknown> | undefined, after: Record<string, unknown> | undefined): SettingChange[] {
  const pick = (config: Record<string, unknown> | undefined) => withoutMetadata({ provider: config?.provider, terraform: config?.terraform });
  const old = flatten(pick(before));
  const next = flatten(pick(after));
  return [...new Set([...old.keys(), ...next.keys()])].sort()
    .filter((path) => JSON.stringify(old.get(path)) !== JSON.stringify(next.get(path)))
    .map((path) => ({ path, ...(old.has(path) ? { before: old.get(path) } : {}), ...(next.has(path) ? { after: next.get(path) } : {}) }));
}
