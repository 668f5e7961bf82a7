import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { packagePath } from '../files';
import type HandlebarsNamespace from 'handlebars';
import { UnrepresentableValueError, xlInteger, xlString } from './xl-syntax';
import { shellWord } from './shell-syntax';

/**
 * The handlebars templates under templates/, compiled with `noEscape` (the output is not HTML)
 * and `strict` (a missing view field is an error, not an empty string). The build precompiles
 * them (tools/precompile-templates.js), so the CLI needs only handlebars' runtime; run from the
 * sources (the tests), they are compiled once per process. Values reach the output only through
 * the quoting helpers below.
 */
export type TemplateName = 'xl.cfg' | 'xl.conf' | 'interfaces' | 'sysctl.conf' | 'provision.sh';

type Precompiled = Record<TemplateName, TemplateSpecification>;
type TemplateSpecification = Parameters<typeof HandlebarsNamespace.template>[0];

/* eslint-disable @typescript-eslint/no-require-imports */
function loadPrecompiled(): Precompiled | undefined {
  const file = join(__dirname, 'precompiled-templates.js');
  return existsSync(file) ? (require(file) as Precompiled) : undefined;
}
const precompiled = loadPrecompiled();
const handlebars: typeof HandlebarsNamespace = (precompiled ? require('handlebars/runtime') : require('handlebars')).default.create();
/* eslint-enable @typescript-eslint/no-require-imports */
handlebars.registerHelper('xl', (value: unknown) => xlString(expectString('xl', value)));
handlebars.registerHelper('int', (value: unknown) => xlInteger(value as number));
handlebars.registerHelper('sh', (value: unknown) => shellWord(expectString('sh', value)));
handlebars.registerHelper('comment', (value: unknown) => commentText(expectString('comment', value)));

const compiled = new Map<TemplateName, HandlebarsTemplateDelegate>();

export function renderTemplate(name: TemplateName, view: object): string {
  let template = compiled.get(name);
  if (!template) {
    template = precompiled
      ? handlebars.template(precompiled[name])
      : handlebars.compile(readFileSync(packagePath('templates', `${name}.hbs`), 'utf8'), { noEscape: true, strict: true });
    compiled.set(name, template);
  }
  return normaliseText(template(view));
}

/** LF line endings, no trailing blank lines, exactly one final newline. */
export function normaliseText(text: string): string {
  return `${text.replace(/\r\n?/g, '\n').replace(/\n+$/, '')}\n`;
}

/** Text for a `#` comment: one line, no control characters, so it cannot start a new line. */
function commentText(value: string): string {
  if (/[\u0000-\u001f\u007f]/.test(value)) {
    throw new UnrepresentableValueError('comment', value, 'must be one line without control characters');
  }
  return value;
}

function expectString(helper: string, value: unknown): string {
  if (typeof value !== 'string') throw new TypeError(`template helper "${helper}" expects a string, got ${typeof value}`);
  return value;
}
