import { existsSync, readdirSync } from 'node:fs';
import { dirname, join } from 'node:path';

/** Every file below `root`, as `/`-separated paths relative to it, sorted. */
export function listFiles(root: string, prefix = ''): string[] {
  return readdirSync(join(root, prefix), { withFileTypes: true })
    .flatMap((entry) => {
      const relative = prefix ? `${prefix}/${entry.name}` : entry.name;
      return entry.isDirectory() ? listFiles(root, relative) : [relative];
    })
    .sort();
}

let packageRoot: string | undefined;

/**
 * A path inside virtlab's package (templates/, providers/), found from both lib/ (tests run the
 * sources) and dist/lib/ (the CLI runs the build).
 */
export function packagePath(...segments: string[]): string {
  if (!packageRoot) {
    for (let dir = __dirname; ; dir = dirname(dir)) {
      if (existsSync(join(dir, 'templates', 'xl.cfg.hbs'))) {
        packageRoot = dir;
        break;
      }
      if (dirname(dir) === dir) throw new Error(`virtlab's package root (with templates/) was not found above ${__dirname}`);
    }
  }
  return join(packageRoot, ...segments);
}
