import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { delimiter, join } from 'node:path';
import { outputAtRevision, SourceOptions } from '../plan/baseline';
import { readOutputTree } from '../plan/output-tree';
import { Plan, createPlan } from '../plan/plan';
import { renderJson, renderMarkdown, renderText } from '../plan/render';
import { StackDefinition, UsageError, synthesizeStacks } from '../synth/synthesize';

export interface PlanOptions extends SourceOptions {
  readonly against?: string;
  readonly base?: string;
  readonly format: 'text' | 'json' | 'markdown';
  readonly allowDataLoss: boolean;
  readonly detailedExitcode: boolean;
  readonly terraform: boolean;
  /** Plan only the selected stacks; otherwise stacks only the baseline has show as destroyed. */
  readonly onlySelected: boolean;
}

export interface PlanOutcome {
  readonly exitCode: number;
  readonly plan: Plan;
}

interface Io {
  out: (text: string) => void;
  err: (text: string) => void;
}

/**
 * `virtlab plan`: synthesizes the selected stacks into a scratch directory (the project's output
 * directory is not touched), compares them with the baseline and prints the plan.
 */
export function runPlan(definitions: readonly StackDefinition[], options: PlanOptions, io: Io): PlanOutcome {
  if (options.against && options.base) throw new UsageError('give either --against DIR or --base REV, not both');
  const against = options.against ?? (options.base ? undefined : 'cdktf.out');
  if (against !== undefined && !existsSync(join(against, 'manifest.json'))) {
    throw new UsageError(options.against
      ? `--against ${against}: not a synth output directory (no manifest.json)`
      : 'name a baseline: --against DIR (a previous synth output; cdktf.out does not exist here) or --base REV (a git revision)');
  }
  // With --terraform the stacks are synthesized beside the project's cdktf.out, so the state path
  // (../../../terraform.<stack>.tfstate from a stack directory) is the project's real state.
  const scratch = mkdtempSync(join(options.terraform ? process.cwd() : tmpdir(), options.terraform ? '.virtlab-plan-' : 'virtlab-plan-'));
  try {
    const current = synthesizeStacks(definitions, options.terraform ? scratch : join(scratch, 'out'));
    const before = against !== undefined ? readOutputTree(against) : outputAtRevision(options.base!, options);
    const baseline = against !== undefined ? against : `git revision ${options.base}`;
    const plan = createPlan(before, readOutputTree(current.outdir), options.onlySelected ? new Set(definitions.map((d) => d.id)) : undefined);
    const render = { text: renderText, json: renderJson, markdown: renderMarkdown }[options.format];
    io.out(render(plan, baseline));
    if (options.terraform) runTerraform(current.outdir, definitions.map((d) => d.id), io);
    if (plan.dataLoss.length && !options.allowDataLoss) {
      io.err(`virtlab: refusing a plan that loses data (${plan.dataLoss.map((d) => d.subject).join(', ')}); review it and pass --allow-data-loss to accept\n`);
      return { exitCode: 1, plan };
    }
    return { exitCode: options.detailedExitcode && plan.hasChanges ? 2 : 0, plan };
  } finally {
    rmSync(scratch, { recursive: true, force: true });
  }
}

/** `terraform init` and `terraform plan` in each stack directory, where terraform is installed. */
function runTerraform(outdir: string, stacks: readonly string[], io: Io): void {
  const terraform = findOnPath('terraform');
  if (!terraform) {
    io.out('\nterraform is not installed (not found on PATH): skipped `terraform init` and `terraform plan`.\n');
    return;
  }
  for (const stack of stacks) {
    const directory = join(outdir, 'stacks', stack);
    for (const args of [['init', '-input=false', '-no-color'], ['plan', '-input=false', '-no-color', '-lock=false']]) {
      io.out(`\n$ terraform ${args.join(' ')}   # in stacks/${stack}\n`);
      const run = spawnSync(terraform, args, { cwd: directory, encoding: 'utf8' });
      io.out(run.stdout);
      if (run.status !== 0) {
        throw new Error(`terraform ${args[0]} failed in stacks/${stack} (exit ${run.status}):\n${run.stderr.trim()}`);
      }
    }
  }
}

function findOnPath(command: string): string | undefined {
  for (const directory of (process.env.PATH ?? '').split(delimiter)) {
    if (directory && existsSync(join(directory, command))) return join(directory, command);
  }
  return undefined;
}
