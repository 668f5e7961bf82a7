import { createTwoFilesPatch } from 'diff';

export interface FileChange {
  /** Path relative to the stack's `xen/` directory. */
  readonly path: string;
  readonly action: 'add' | 'change' | 'remove';
  /** The VM the file belongs to, or "dom0" for host files. */
  readonly affects: string;
  /** Unified diff, `a/` before and `b/` after. */
  readonly diff: string;
}

/**
 * The VM a Xen file belongs to: `vm01.cfg` and `vm01.install.cfg` are vm01's (xl VM names never
 * end in ".install"); `dom0/…` is the host's, shared by the lab's VMs.
 */
export function affectedBy(path: string): string {
  if (path.startsWith('dom0/')) return 'dom0 (all VMs)';
  return path.replace(/(\.install)?\.cfg$/, '');
}

/** Per-file changes between two sets of Xen files of one stack, sorted by path. */
export function diffFiles(stack: string, before: ReadonlyMap<string, string>, after: ReadonlyMap<string, string>): FileChange[] {
  const paths = [...new Set([...before.keys(), ...after.keys()])].sort();
  const changes: FileChange[] = [];
  for (const path of paths) {
    const a = before.get(path);
    const b = after.get(path);
    if (a === b) continue;
    const name = `stacks/${stack}/xen/${path}`;
    const diff = createTwoFilesPatch(a === undefined ? '/dev/null' : `a/${name}`, b === undefined ? '/dev/null' : `b/${name}`, a ?? '', b ?? '', undefined, undefined, { context: 3 })
      .split('\n').filter((line) => !line.startsWith('====')).join('\n').trimEnd();
    changes.push({ path, action: a === undefined ? 'add' : b === undefined ? 'remove' : 'change', affects: affectedBy(path), diff });
  }
  return changes;
}
