import { mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import type { ISynthesisSession } from 'cdktf';
import type { LabStack } from '../constructs/lab-stack';
import { renderXenFiles } from '../render/xen-files';

/** The directory, inside a stack's output directory, that holds its Xen files. */
export const XEN_DIRECTORY = 'xen';

/**
 * cdktf custom synthesis for a lab stack: renders every Xen file first (so a rendering error
 * writes nothing), then replaces the stack's `xen/` directory with them (a lab with no VM under
 * xl has none).
 */
export function writeXenOutput(stack: LabStack, session: ISynthesisSession): void {
  const files = renderXenFiles(stack.toModel());
  const stackDirectory = join(session.outdir, session.manifest.forStack(stack).workingDirectory);
  const xenDirectory = join(stackDirectory, XEN_DIRECTORY);
  rmSync(xenDirectory, { recursive: true, force: true });
  if (files.length === 0) return;
  const made = new Set<string>();
  for (const file of files) {
    const target = join(xenDirectory, file.path);
    const directory = dirname(target);
    if (!made.has(directory)) {
      mkdirSync(directory, { recursive: true });
      made.add(directory);
    }
    writeFileSync(target, file.content, { mode: file.mode });
  }
}
