import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, symlinkSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative, resolve } from 'node:path';
import { labFileStack } from '../labfile/define';
import { StackDefinition, UsageError, synthesizeStacks } from '../synth/synthesize';
import { OutputTree, readOutputTree } from './output-tree';

export interface SourceOptions {
  readonly app?: string;
  readonly file?: readonly string[];
}

function git(args: string[], cwd: string): { ok: boolean; out: string; err: string } {
  const run = spawnSync('git', args, { cwd, encoding: 'utf8' });
  if (run.error) throw new UsageError(`--base needs git: ${run.error.message}`);
  return { ok: run.status === 0, out: run.stdout.trim(), err: run.stderr.trim() };
}

/**
 * Synthesizes the lab as it was at a git revision, in a temporary worktree that is removed
 * afterwards. Lab files are read from the revision and synthesized by this virtlab; a TypeScript
 * project (virtlab's own examples, or an `--app` module) is built at the revision with its own
 * code, using this checkout's installed packages.
 */
export function outputAtRevision(revision: string, source: SourceOptions, cwd = process.cwd()): OutputTree {
  const top = git(['rev-parse', '--show-toplevel'], cwd);
  if (!top.ok) throw new UsageError(`--base ${revision}: ${cwd} is not in a git repository`);
  if (!git(['rev-parse', '--verify', '--quiet', `${revision}^{commit}`], cwd).ok) {
    throw new UsageError(`--base ${revision}: no such revision`);
  }
  const repo = top.out;
  const scratch = mkdtempSync(join(tmpdir(), 'virtlab-base-'));
  const tree = join(scratch, 'tree');
  const out = join(scratch, 'out');
  try {
    const added = git(['worktree', 'add', '--detach', '--quiet', tree, revision], repo);
    if (!added.ok) throw new Error(`git worktree add failed: ${added.err}`);
    if (source.file?.length) {
      const definitions: StackDefinition[] = source.file
        .map((file) => join(tree, relative(repo, resolve(cwd, file))))
        .filter((file) => existsSync(file))
        .map((file) => labFileStack(file));
      synthesizeStacks(definitions, out);
    } else {
      buildRevision(tree, repo, revision);
      if (source.app) {
        // eslint-disable-next-line @typescript-eslint/no-require-imports
        const loaded = require(join(tree, relative(repo, resolve(cwd, source.app)))) as { stacks?: StackDefinition[] };
        synthesizeStacks(loaded.stacks ?? [], out);
      } else {
        const run = spawnSync(process.execPath, [join(tree, 'bin', 'virtlab'), 'synth', '--quiet', '--out', out], { cwd: tree, encoding: 'utf8' });
        if (run.status !== 0) throw new Error(`the example labs at ${revision} did not synthesize:\n${run.stderr.trim()}`);
      }
    }
    return readOutputTree(out);
  } finally {
    git(['worktree', 'remove', '--force', tree], repo);
    rmSync(scratch, { recursive: true, force: true });
  }
}

/** Builds a TypeScript project checked out at a revision, with the current checkout's packages. */
function buildRevision(tree: string, repo: string, revision: string): void {
  const manifest = join(tree, 'package.json');
  if (!existsSync(manifest)) throw new UsageError(`--base ${revision}: the revision has no package.json to build; pass the lab with --file`);
  if (!existsSync(join(tree, 'node_modules')) && existsSync(join(repo, 'node_modules'))) {
    symlinkSync(join(repo, 'node_modules'), join(tree, 'node_modules'), 'dir');
  }
  const scripts = (JSON.parse(readFileSync(manifest, 'utf8')) as { scripts?: Record<string, string> }).scripts ?? {};
  if (!scripts.build) return;
  const build = spawnSync('npm', ['run', 'build', '--silent'], { cwd: tree, encoding: 'utf8' });
  if (build.status !== 0) throw new Error(`building ${revision} failed:\n${(build.stdout + build.stderr).trim()}`);
}
