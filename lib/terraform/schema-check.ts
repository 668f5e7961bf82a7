/**
 * Checks Terraform JSON against a provider schema (the format of `terraform providers schema
 * -json`) as `terraform validate` would: known resource types, only attributes that exist and are
 * not read-only, every required attribute, and values of the schema's type and nesting. A
 * `${…}` expression stands for any value (Terraform checks it at plan time).
 */

type TypeExpression = string | [string, TypeExpression] | ['object', Record<string, TypeExpression>];

interface SchemaAttribute {
  readonly type?: TypeExpression;
  readonly nested_type?: SchemaBlock & { readonly nesting_mode?: 'single' | 'list' | 'set' | 'map' };
  readonly required?: boolean;
  readonly optional?: boolean;
  readonly computed?: boolean;
}

interface SchemaBlock {
  readonly attributes?: Record<string, SchemaAttribute>;
  readonly block_types?: Record<string, { readonly nesting_mode: string; readonly block: SchemaBlock; readonly min_items?: number }>;
}

export interface ProviderSchemaDocument {
  readonly provider_schemas: Record<string, {
    readonly provider: { readonly block: SchemaBlock };
    readonly resource_schemas: Record<string, { readonly block: SchemaBlock }>;
    readonly data_source_schemas?: Record<string, { readonly block: SchemaBlock }>;
  }>;
}

const RESOURCE_META = new Set(['count', 'for_each', 'depends_on', 'provider', 'lifecycle', 'provisioner', 'connection', '//']);
const PROVIDER_META = new Set(['alias', 'version', '//']);

const isExpression = (value: unknown) => typeof value === 'string' && /\$\{[\s\S]*\}/.test(value);
const isObject = (value: unknown): value is Record<string, unknown> => typeof value === 'object' && value !== null && !Array.isArray(value);

function checkType(type: TypeExpression | undefined, value: unknown, path: string, problems: string[]): void {
  if (type === undefined || value === null || isExpression(value)) return;
  if (typeof type === 'string') {
    const ok = {
      string: () => typeof value === 'string' || typeof value === 'number',
      number: () => typeof value === 'number' || (typeof value === 'string' && /^-?\d+(\.\d+)?$/.test(value)),
      bool: () => typeof value === 'boolean' || value === 'true' || value === 'false',
      dynamic: () => true,
    }[type];
    if (!ok || !ok()) problems.push(`${path}: expected ${type}, got ${JSON.stringify(value)}`);
    return;
  }
  const [kind, inner] = type;
  if (kind === 'list' || kind === 'set') {
    if (!Array.isArray(value)) problems.push(`${path}: expected a ${kind}`);
    else value.forEach((item, i) => checkType(inner as TypeExpression, item, `${path}[${i}]`, problems));
  } else if (kind === 'map') {
    if (!isObject(value)) problems.push(`${path}: expected a map`);
    else for (const [k, item] of Object.entries(value)) checkType(inner as TypeExpression, item, `${path}.${k}`, problems);
  } else if (kind === 'object') {
    const fields = inner as Record<string, TypeExpression>;
    if (!isObject(value)) problems.push(`${path}: expected an object`);
    else for (const [k, item] of Object.entries(value)) {
      if (!(k in fields)) problems.push(`${path}.${k}: no such attribute`);
      else checkType(fields[k], item, `${path}.${k}`, problems);
    }
  }
}

function checkBlock(block: SchemaBlock, body: unknown, path: string, problems: string[], meta: ReadonlySet<string> = new Set()): void {
  if (isExpression(body)) return;
  if (!isObject(body)) {
    problems.push(`${path}: expected an object`);
    return;
  }
  const attributes = block.attributes ?? {};
  const blockTypes = block.block_types ?? {};
  for (const [name, value] of Object.entries(body)) {
    if (meta.has(name)) continue;
    const attribute = attributes[name];
    const nestedBlock = blockTypes[name];
    if (nestedBlock) {
      const items = Array.isArray(value) ? value : [value];
      items.forEach((item, i) => checkBlock(nestedBlock.block, item, `${path}.${name}[${i}]`, problems));
      continue;
    }
    if (!attribute) {
      problems.push(`${path}.${name}: no such attribute`);
      continue;
    }
    if (attribute.computed && !attribute.optional && !attribute.required) {
      problems.push(`${path}.${name}: read-only attribute cannot be set`);
      continue;
    }
    if (attribute.nested_type) {
      const mode = attribute.nested_type.nesting_mode ?? 'single';
      if (isExpression(value) || value === null) continue;
      if (mode === 'single') checkBlock(attribute.nested_type, value, `${path}.${name}`, problems);
      else if (mode === 'map') {
        if (!isObject(value)) problems.push(`${path}.${name}: expected a map of objects`);
        else for (const [k, item] of Object.entries(value)) checkBlock(attribute.nested_type, item, `${path}.${name}.${k}`, problems);
      } else if (!Array.isArray(value)) problems.push(`${path}.${name}: expected a ${mode} of objects`);
      else value.forEach((item, i) => checkBlock(attribute.nested_type!, item, `${path}.${name}[${i}]`, problems));
    } else {
      checkType(attribute.type, value, `${path}.${name}`, problems);
    }
  }
  for (const [name, attribute] of Object.entries(attributes)) {
    if (attribute.required && !(name in body)) problems.push(`${path}.${name}: required attribute is missing`);
  }
}

/**
 * The problems of `config` (a parsed cdk.tf.json) against `schema`, one line each; an empty list
 * when it is valid. Resources and providers of other providers than the schema's are skipped.
 */
export function checkTerraformJson(schema: ProviderSchemaDocument, config: Record<string, unknown>): string[] {
  const problems: string[] = [];
  const providers = Object.entries(schema.provider_schemas);
  const resourceSchemas = Object.assign({}, ...providers.map(([, p]) => p.resource_schemas)) as Record<string, { block: SchemaBlock }>;
  const prefixes = new Set(Object.keys(resourceSchemas).map((type) => type.split('_')[0]));
  for (const [type, instances] of Object.entries((config.resource ?? {}) as Record<string, Record<string, unknown>>)) {
    const resource = resourceSchemas[type];
    if (!resource) {
      if (prefixes.has(type.split('_')[0])) problems.push(`resource.${type}: no such resource type`);
      continue;
    }
    for (const [name, body] of Object.entries(instances)) checkBlock(resource.block, body, `resource.${type}.${name}`, problems, RESOURCE_META);
  }
  for (const [name, configs] of Object.entries((config.provider ?? {}) as Record<string, unknown>)) {
    const provider = providers.find(([source]) => source.endsWith(`/${name}`));
    if (!provider) continue;
    (Array.isArray(configs) ? configs : [configs]).forEach((body, i) =>
      checkBlock(provider[1].provider.block, body, `provider.${name}[${i}]`, problems, PROVIDER_META));
  }
  const uses = Object.keys(config.resource ?? {}).some((type) => prefixes.has(type.split('_')[0]));
  const required = ((config.terraform as { required_providers?: Record<string, { source?: string }> } | undefined)?.required_providers) ?? {};
  for (const [source] of providers) {
    const name = source.split('/').pop()!;
    const wanted = source.split('/').slice(-2).join('/');
    const declared = required[name]?.source;
    if (uses && (declared === undefined || declared.split('/').slice(-2).join('/') !== wanted)) {
      problems.push(`terraform.required_providers.${name}.source: ${JSON.stringify(declared)}, expected ${wanted}`);
    }
  }
  return problems;
}
