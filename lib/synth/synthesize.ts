import { cpSync, existsSync, mkdtempSync, readdirSync, renameSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, dirname, join, resolve } from 'node:path';
import { App } from 'cdktf';
import { Construct } from 'constructs';
import { ValidationError, ValidationIssue } from '../errors';
import { LabStack } from '../constructs/lab-stack';

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
 * plus each stack's `xen/` files. Everything is built and validated in a staging directory and
 * only then moved into place, so invalid input or a failure leaves `outdir` as it was.
 */
export function synthesizeStacks(definitions: readonly StackDefinition[], outdir: string): SynthResult {
  const target = resolve(outdir);
  refuseForeignDirectory(target);
  const staging = mkdtempSync(join(tmpdir(), 'virtlab-synth-'));
  try {
    const app = new App({ outdir: staging, stackTraces: false, skipBackendValidation: true });
    buildStacks(app, definitions);
    app.synth();
    const files = listFiles(staging);
    replaceDirectory(staging, target);
    return { outdir: target, files };
  } finally {
    rmSync(staging, { recursive: true, force: true });
  }
}

/** virtlab replaces its output directory: refuse one that holds anything but a previous synth. */
function refuseForeignDirectory(target: string): void {
  if (!existsSync(target)) return;
  if (!statSync(target).isDirectory()) throw new UsageError(`output path ${target} exists and is not a directory`);
  const entries = readdirSync(target);
  if (entries.length > 0 && !entries.includes('manifest.json')) {
    throw new UsageError(`refusing to replace ${target}: it is not empty and is not a previous synth output (no manifest.json)`);
  }
}

/** Moves `source` to `target`, replacing it; the swap is two renames within target's parent. */
function replaceDirectory(source: string, target: string): void {
  const parent = dirname(target);
  const incoming = mkdtempSync(join(parent, `.${basename(target)}.incoming-`));
  const outgoing = `${incoming.replace('.incoming-', '.outgoing-')}`;
  try {
    cpSync(source, incoming, { recursive: true });
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
