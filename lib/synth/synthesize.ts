import { chmodSync, cpSync, existsSync, lstatSync, mkdirSync, mkdtempSync, readFileSync, readdirSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, dirname, join, parse, resolve, sep } from 'node:path';
import { App } from 'cdktf';
import stableStringify from 'json-stable-stringify';
import { Construct } from 'constructs';
import { ValidationError, ValidationIssue } from '../errors';
import type { LabStack } from '../constructs/lab-stack';
import { checkTerraformJson } from '../terraform/schema-check';
import { libvirtSchema } from '../terraform/libvirt-schema';

/** A stack the CLI can build by id. */
export interface StackDefinition {
  readonly id: string;
  readonly define: (scope: Construct, id: string) => LabStack;
  /** Rewrites an issue to point at the stack's source (a lab file's line); identity by default. */
  readonly locate?: (issue: ValidationIssue) => ValidationIssue;
}

/** Thrown for a request that names something that does not exist (a usage error, exit 2). */
export class UsageError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'UsageError';
  }
}

/** Picks the requested stacks (all when none is named), refusing unknown ids. */
export function selectStacks(definitions: readonly StackDefinition[], ids: readonly string[] = []): StackDefinition[] {
  if (ids.length === 0) return [...definitions];
  const known = new Map(definitions.map((d) => [d.id, d]));
  const unknown = ids.filter((id) => !known.has(id));
  if (unknown.length) {
    throw new UsageError(`unknown stack${unknown.length > 1 ? 's' : ''} ${unknown.map((u) => `"${u}"`).join(', ')}; known stacks: ${definitions.map((d) => d.id).join(', ')}`);
  }
  return [...new Set(ids)].map((id) => known.get(id)!);
}

/**
 * Builds the selected stacks in an app and checks every rule, construct-level and lab-wide.
 * Construct-level errors throw from `define`; lab-wide ones are gathered from every stack, so one
 * run reports them all. Throws a {@link ValidationError}; returns the stacks when all is well.
 */
export function buildStacks(app: App, definitions: readonly StackDefinition[]): LabStack[] {
  const stacks = definitions.map((d) => d.define(app, d.id));
  const issues: ValidationIssue[] = stacks.flatMap((stack, i) => stack.validateLab().map(definitions[i].locate ?? ((issue) => issue)));
  if (issues.length) throw new ValidationError(issues);
  return stacks;
}

/** Builds and validates in a throw-away app; writes nothing outside a temporary directory. */
export function validateStacks(definitions: readonly StackDefinition[]): LabStack[] {
  const scratch = mkdtempSync(join(tmpdir(), 'virtlab-validate-'));
  try {
    return buildStacks(new App({ outdir: scratch, stackTraces: false, skipBackendValidation: true }), definitions);
  } finally {
    rmSync(scratch, { recursive: true, force: true });
  }
}

export interface SynthResult {
  readonly outdir: string;
  /** Files written, relative to `outdir`, sorted. */
  readonly files: readonly string[];
}

/**
 * Synthesizes the stacks into `outdir`: Terraform JSON and manifest as `cdktf synth` writes them,
 * plus each stack's `xen/` files. Everything is built, validated and schema-checked in a staging
 * directory and only then moved into place, so invalid input or a failure leaves `outdir` as it
 * was. Stacks not synthesized this time, and Terraform's working files in each stack directory
 * (`.terraform/`, `.terraform.lock.hcl`), are carried over from the previous output.
 */
export function synthesizeStacks(definitions: readonly StackDefinition[], outdir: string): SynthResult {
  const target = resolve(outdir);
  refuseUnsafeTarget(target);
  const staging = mkdtempSync(join(tmpdir(), 'virtlab-synth-'));
  try {
    const app = new App({ outdir: staging, stackTraces: false, skipBackendValidation: true });
    buildStacks(app, definitions);
    app.synth();
    checkSynthesizedTerraform(staging, definitions.map((d) => d.id));
    const files = listFiles(staging);
    if (existsSync(target)) carryOver(target, staging, new Set(definitions.map((d) => d.id)));
    replaceDirectory(staging, target);
    return { outdir: target, files };
  } finally {
    rmSync(staging, { recursive: true, force: true });
  }
}

/** What a previous synth output holds at its top; anything else means the directory is someone's. */
const OUTPUT_ENTRIES = new Set(['manifest.json', 'stacks']);

/**
 * virtlab replaces its output directory as a whole, so it refuses any directory that might hold
 * something else: one with other entries than a previous output's, a symbolic link, the current
 * directory or one of its parents.
 */
function refuseUnsafeTarget(target: string): void {
  const cwd = process.cwd();
  if (target === cwd || cwd.startsWith(`${target}${sep}`) || target === parse(target).root) {
    throw new UsageError(`refusing to replace ${target}: it is the current directory or contains it`);
  }
  let stat;
  try {
    stat = lstatSync(target);
  } catch {
    return; // absent: created on success
  }
  if (stat.isSymbolicLink()) throw new UsageError(`refusing to replace ${target}: it is a symbolic link; name the directory it points to`);
  if (!stat.isDirectory()) throw new UsageError(`output path ${target} exists and is not a directory`);
  const foreign = readdirSync(target).filter((entry) => !OUTPUT_ENTRIES.has(entry));
  if (foreign.length) {
    throw new UsageError(`refusing to replace ${target}: it holds ${foreign.slice(0, 3).join(', ')}${foreign.length > 3 ? ', …' : ''}, which no synth output has`);
  }
}

/** Keeps, from the previous output, the stacks not synthesized now and Terraform's working files. */
function carryOver(previous: string, staging: string, synthesized: ReadonlySet<string>): void {
  const manifestFile = join(previous, 'manifest.json');
  if (!existsSync(manifestFile)) return;
  const old = JSON.parse(readFileSync(manifestFile, 'utf8')) as { stacks: Record<string, { workingDirectory: string }> };
  const manifest = JSON.parse(readFileSync(join(staging, 'manifest.json'), 'utf8')) as { stacks: Record<string, unknown> };
  let carried = false;
  for (const [id, entry] of Object.entries(old.stacks ?? {})) {
    const from = join(previous, 'stacks', id);
    if (!existsSync(from) || entry.workingDirectory !== join('stacks', id)) continue;
    if (!synthesized.has(id)) {
      cpSync(from, join(staging, 'stacks', id), { recursive: true, verbatimSymlinks: true });
      manifest.stacks[id] = entry;
      carried = true;
      continue;
    }
    for (const name of ['.terraform', '.terraform.lock.hcl']) {
      if (existsSync(join(from, name)) && existsSync(join(staging, 'stacks', id))) {
        cpSync(join(from, name), join(staging, 'stacks', id, name), { recursive: true, verbatimSymlinks: true });
      }
    }
  }
  // Written as cdktf writes its manifest, so the file reads the same either way.
  if (carried) writeFileSync(join(staging, 'manifest.json'), stableStringify(manifest, { space: 2 }) ?? '');
}

/** A synthesized cdk.tf.json that breaks the provider schema is virtlab's bug: never hand it out. */
function checkSynthesizedTerraform(staging: string, stacks: readonly string[]): void {
  for (const id of stacks) {
    const file = join(staging, 'stacks', id, 'cdk.tf.json');
    if (!existsSync(file)) continue;
    const problems = checkTerraformJson(libvirtSchema(), JSON.parse(readFileSync(file, 'utf8')));
    if (problems.length) throw new Error(`internal error: the Terraform JSON of ${id} breaks the dmacvicar/libvirt schema:\n  ${problems.join('\n  ')}`);
  }
}

/** Moves `source` to `target`, replacing it; the swap is two renames within target's parent. */
function replaceDirectory(source: string, target: string): void {
  const parent = dirname(target);
  try {
    mkdirSync(parent, { recursive: true });
  } catch (error) {
    throw new UsageError(`cannot create the output directory's parent ${parent}: ${(error as NodeJS.ErrnoException).code}`);
  }
  const incoming = mkdtempSync(join(parent, `.${basename(target)}.incoming-`));
  const outgoing = join(parent, `.${basename(target)}.outgoing-${basename(incoming).split('-').pop()}`);
  try {
    cpSync(source, incoming, { recursive: true });
    // mkdtemp makes private (0700) directories; an output directory is as readable as any other.
    chmodSync(incoming, 0o777 & ~process.umask());
    if (existsSync(target)) renameSync(target, outgoing);
    renameSync(incoming, target);
  } finally {
    rmSync(incoming, { recursive: true, force: true });
    rmSync(outgoing, { recursive: true, force: true });
  }
}

function listFiles(root: string, prefix = ''): string[] {
  return readdirSync(join(root, prefix), { withFileTypes: true })
    .flatMap((entry) => {
      const relative = prefix ? `${prefix}/${entry.name}` : entry.name;
      return entry.isDirectory() ? listFiles(root, relative) : [relative];
    })
    .sort();
}
