import { spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { synthesizeStacks } from '../lib';
import { ProviderSchemaDocument, checkTerraformJson } from '../lib/terraform/schema-check';
import { stacks } from '../stacks';
import { edgeLab } from './support/labs';

const root = resolve(__dirname, '..');
const projectSchema = JSON.parse(readFileSync(join(root, 'providers', 'dmacvicar-libvirt.schema.json'), 'utf8')) as ProviderSchemaDocument;
const shared = resolve(root, '..', 'shared');
const upstreamSchema = join(shared, 'reference', 'dmacvicar-libvirt-0.9.7.schema.json');
const tfSchemaCheck = join(shared, 'tools', 'tf-schema-check', 'tf-schema-check');
const sharedPresent = existsSync(upstreamSchema) && existsSync(tfSchemaCheck);
const inCi = Boolean(process.env.CI) && !['0', 'false'].includes(process.env.CI!.toLowerCase());
/** Runs where ../shared is present; CI always has it, so there its absence is a failure, not a skip. */
const describeIfShared = (name: string, fn: () => void) => {
  if (sharedPresent) describe(name, fn);
  else if (inCi) describe(name, () => it('needs ../shared beside the clone', () => { throw new Error(`${shared} is missing: CI must check against the full upstream schema`); }));
  else describe.skip(name, fn);
};

let scratch: string;
let tfJsonFiles: string[];
beforeAll(() => {
  scratch = mkdtempSync(join(tmpdir(), 'virtlab-schema-'));
  synthesizeStacks([...stacks, edgeLab], scratch + '/out');
  tfJsonFiles = [...stacks, edgeLab].map((d) => join(scratch, 'out', 'stacks', d.id, 'cdk.tf.json'));
});
afterAll(() => rmSync(scratch, { recursive: true, force: true }));

describe('the synthesized Terraform JSON', () => {
  it('of every example stack passes the project schema check', () => {
    for (const file of tfJsonFiles) expect([file, checkTerraformJson(projectSchema, JSON.parse(readFileSync(file, 'utf8')))]).toEqual([file, []]);
  });

  it('holds libvirt resources of every kind the mapping makes', () => {
    const json = JSON.parse(readFileSync(tfJsonFiles[stacks.findIndex((s) => s.id === 'libvirt-lab')], 'utf8'));
    expect(Object.keys(json.resource).sort()).toEqual(['libvirt_domain', 'libvirt_network', 'libvirt_pool', 'libvirt_volume']);
  });
});

describe('the schema check', () => {
  const domain = (body: Record<string, unknown>) => ({
    terraform: { required_providers: { libvirt: { source: 'registry.terraform.io/dmacvicar/libvirt' } } },
    resource: { libvirt_domain: { vm: { name: 'vm', type: 'kvm', ...body } } },
  });

  it('accepts a valid resource and references in place of values', () => {
    expect(checkTerraformJson(projectSchema, domain({ memory: 512, devices: { disks: [{ source: { block: { dev: '${libvirt_volume.v.path}' } } }] } }))).toEqual([]);
  });

  it.each([
    ['an unknown attribute', { memroy: 512 }, 'resource.libvirt_domain.vm.memroy: no such attribute'],
    ['a read-only attribute', { id: 3 }, 'resource.libvirt_domain.vm.id: read-only attribute cannot be set'],
    ['a wrong type', { memory: 'lots' }, 'resource.libvirt_domain.vm.memory: expected number, got "lots"'],
    ['an object where a list goes', { devices: { disks: { device: 'disk' } } }, 'resource.libvirt_domain.vm.devices.disks: expected a list of objects'],
    ['a nested unknown attribute', { os: { kernal: '/k' } }, 'resource.libvirt_domain.vm.os.kernal: no such attribute'],
  ])('reports %s', (_what, body, problem) => {
    expect(checkTerraformJson(projectSchema, domain(body))).toEqual([problem]);
  });

  it('reports a missing required attribute, an unknown type and a wrong provider source', () => {
    expect(checkTerraformJson(projectSchema, {
      terraform: { required_providers: { libvirt: { source: 'example/libvirt' } } },
      resource: { libvirt_domain: { vm: { name: 'vm' } }, libvirt_disk: { d: {} } },
    })).toEqual([
      'resource.libvirt_domain.vm.type: required attribute is missing',
      'resource.libvirt_disk: no such resource type',
      'terraform.required_providers.libvirt.source: "example/libvirt", expected dmacvicar/libvirt',
    ]);
  });
});

describe('the provider bindings', () => {
  it('were generated from the schema kept in providers/', () => {
    const stamp = join(root, '.gen', 'providers', 'libvirt', '.virtlab-schema.sha256');
    if (!existsSync(stamp)) return; // full bindings from `cdktf get`
    const schemaHash = createHash('sha256').update(readFileSync(join(root, 'providers', 'dmacvicar-libvirt.schema.json'))).digest('hex');
    expect(readFileSync(stamp, 'utf8').trim()).toBe(schemaHash);
  });
});

describeIfShared('against the full upstream dmacvicar/libvirt 0.9.7 schema (../shared)', () => {
  it('every example stack passes tf-schema-check', () => {
    const run = spawnSync('python3', [tfSchemaCheck, upstreamSchema, ...tfJsonFiles], { encoding: 'utf8' });
    expect(run.stdout).toMatch(/^\d+ checked, 0 problems$/m);
    expect(run.stdout.match(/^(\d+) checked/m)![1]).not.toBe('0');
    expect(run.status).toBe(0);
  });

  it('the project schema is exactly the upstream schema, cut to what virtlab uses', () => {
    const run = spawnSync(process.execPath, [join(root, 'tools', 'libvirt-provider', 'subset-schema.js'), upstreamSchema], { encoding: 'utf8', maxBuffer: 64 << 20 });
    expect(run.status).toBe(0);
    expect(run.stdout).toBe(readFileSync(join(root, 'providers', 'dmacvicar-libvirt.schema.json'), 'utf8'));
  });

  it('the project schema check agrees with tf-schema-check on a broken file', () => {
    const broken = join(scratch, 'broken.tf.json');
    const body = { terraform: { required_providers: { libvirt: { source: 'dmacvicar/libvirt' } } }, resource: { libvirt_volume: { v: { name: 'v', pool: 'p', path: '/x', capacity: 'big' } } } };
    require('node:fs').writeFileSync(broken, JSON.stringify(body));
    const run = spawnSync('python3', [tfSchemaCheck, upstreamSchema, broken], { encoding: 'utf8' });
    expect(run.status).toBe(1);
    expect(checkTerraformJson(projectSchema, body)).toHaveLength(2);
    expect(run.stdout).toMatch(/1 checked, 2 problems/);
  });
});
