import { readFileSync, readdirSync, readlinkSync, statSync } from 'node:fs';
import { join } from 'node:path';

/** Every file below `root` as relative path → content (a symbolic link as `-> target`, not followed), sorted by path. */
export function readTree(root: string): Record<string, string> {
  const files: Record<string, string> = {};
  const walk = (relative: string) => {
    for (const entry of readdirSync(join(root, relative), { withFileTypes: true })) {
      const path = relative ? `${relative}/${entry.name}` : entry.name;
      if (entry.isSymbolicLink()) files[path] = `-> ${readlinkSync(join(root, path))}`;
      else if (entry.isDirectory()) walk(path);
      else files[path] = readFileSync(join(root, path), 'utf8');
    }
  };
  walk('');
  return Object.fromEntries(Object.entries(files).sort(([a], [b]) => a.localeCompare(b)));
}

/** File modes below `root` (permission bits only), by relative path. */
export function modesOf(root: string, paths: string[]): Record<string, string> {
  return Object.fromEntries(paths.map((p) => [p, (statSync(join(root, p)).mode & 0o777).toString(8)]));
}
