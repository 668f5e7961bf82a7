import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { listFiles } from '../files';

/** One stack of a synth output: its Terraform JSON and its Xen files. */
export interface StackOutput {
  readonly terraform?: Record<string, unknown>;
  /** Xen files by path relative to the stack's `xen/` directory. */
  readonly xenFiles: ReadonlyMap<string, string>;
}

/** A synth output directory (`cdktf.out`), read back by stack id. */
export type OutputTree = ReadonlyMap<string, StackOutput>;

/** Reads a synth output directory; an absent directory is an empty output (everything is new). */
export function readOutputTree(directory: string): OutputTree {
  const stacks = new Map<string, StackOutput>();
  const manifestFile = join(directory, 'manifest.json');
  if (!existsSync(manifestFile)) return stacks;
  const manifest = JSON.parse(readFileSync(manifestFile, 'utf8')) as { stacks: Record<string, { workingDirectory: string; synthesizedStackPath: string }> };
  for (const [id, entry] of Object.entries(manifest.stacks)) {
    const tfFile = join(directory, entry.synthesizedStackPath);
    const xenRoot = join(directory, entry.workingDirectory, 'xen');
    stacks.set(id, {
      terraform: existsSync(tfFile) ? JSON.parse(readFileSync(tfFile, 'utf8')) : undefined,
      xenFiles: new Map(existsSync(xenRoot) ? listFiles(xenRoot).map((path) => [path, readFileSync(join(xenRoot, path), 'utf8')]) : []),
    });
  }
  return stacks;
}
