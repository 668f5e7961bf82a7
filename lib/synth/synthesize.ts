import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { App } from 'cdktf';
import { Construct } from 'constructs';
import { UsageError, ValidationError, ValidationIssue } from '../errors';
import { listFiles } from '../files';
import type { LabStack } from '../constructs/lab-stack';
import { checkTerraformJson } from '../terraform/schema-check';
import { libvirtSchema } from '../terraform/libvirt-schema';
import { disableTokenStackTraces } from './cdktf-tuning';
import { STAGING_PREFIX, carryOver, checkOutputDirectory, removeStaleStaging, replaceDirectory, withOutputLock } from './output-directory';

/** A stack the CLI can build by id. */
export interface StackDefinition {
  readonly id: string;
  readonly define: (scope: Construct, id: string) => LabStack;
  /** Rewrites an issue to point at the stack's source (a lab file's line); identity by default. */
  readonly locate?: (issue: ValidationIssue) => ValidationIssue;
}

export { UsageError } from '../errors';

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
  disableTokenStackTraces();
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
 * directory, then swapped in atomically under a lock (see output-directory.ts), so invalid input,
 * a failure or a killed process leaves `outdir` as it was. Stacks not synthesized this time, and
 * Terraform's working files in each stack directory, are carried over from the previous output.
 */
export function synthesizeStacks(definitions: readonly StackDefinition[], outdir: string): SynthResult {
  const target = resolve(outdir);
  checkOutputDirectory(target);
  removeStaleStaging(tmpdir());
  const staging = mkdtempSync(join(tmpdir(), `${STAGING_PREFIX}${process.pid}-`));
  try {
    const app = new App({ outdir: staging, stackTraces: false, skipBackendValidation: true });
    buildStacks(app, definitions);
    app.synth();
    checkSynthesizedTerraform(staging, definitions.map((d) => d.id));
    const files = listFiles(staging);
    withOutputLock(target, () => {
      checkOutputDirectory(target); // again: it may have changed while we synthesized
      if (existsSync(target)) carryOver(target, staging, new Set(definitions.map((d) => d.id)));
      replaceDirectory(staging, target);
    });
    return { outdir: target, files };
  } finally {
    rmSync(staging, { recursive: true, force: true });
  }
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
