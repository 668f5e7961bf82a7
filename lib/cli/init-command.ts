import { existsSync, mkdirSync, readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { listFiles, packagePath } from '../files';
import { basename, dirname, join, relative, resolve } from 'node:path';
import Handlebars from 'handlebars';
import { ValidationError } from '../errors';
import { domainName } from '../model/rules';
import { UsageError } from '../errors';

export type InitTemplate = 'yaml' | 'typescript';

/**
 * `virtlab init [dir]`: a new lab project that synthesizes and tests out of the box, as a lab
 * file (`yaml`) or a TypeScript stack (`typescript`). It depends on this virtlab by path, so it
 * installs without a registry. Returns the files written, relative to the directory.
 */
export function initProject(directory: string, template: InitTemplate, name?: string): string[] {
  const target = resolve(directory);
  if (existsSync(target) && readdirSync(target).length > 0) {
    throw new UsageError(`refusing to initialise ${target}: it is not empty`);
  }
  const projectName = name ?? basename(target);
  const broken = domainName(projectName);
  if (broken) {
    throw new ValidationError([{ path: target, field: name === undefined ? 'name (from the directory name; set --name)' : 'name', value: projectName, rule: broken }]);
  }
  const root = packagePath();
  const own = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')) as { devDependencies: Record<string, string> };
  const values = {
    name: projectName,
    virtlab: `file:${relative(target, root) || '.'}`,
    typescript: own.devDependencies.typescript,
    typesNode: own.devDependencies['@types/node'],
  };
  const handlebars = Handlebars.create();
  handlebars.registerHelper('json', (value: unknown) => JSON.stringify(value));
  const source = join(root, 'templates', 'init', template);
  const written: string[] = [];
  for (const file of listFiles(source)) {
    const text = readFileSync(join(source, file), 'utf8');
    const output = file.endsWith('.hbs') ? handlebars.compile(text, { noEscape: true, strict: true })(values) : text;
    // npm drops files named .gitignore from packages, so the template keeps it as "gitignore".
    const path = file.replace(/\.hbs$/, '').replace(/(^|\/)gitignore$/, '$1.gitignore');
    mkdirSync(dirname(join(target, path)), { recursive: true });
    writeFileSync(join(target, path), output);
    written.push(path);
  }
  return written;
}
