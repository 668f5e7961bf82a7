import { readFileSync, statSync } from 'node:fs';
import { extname } from 'node:path';
import Ajv, { ErrorObject, ValidateFunction } from 'ajv';
import { Document, LineCounter, isMap, isNode, isPair, isScalar, parseDocument } from 'yaml';
import { ValidationError, ValidationIssue, isValidationError } from '../errors';
import { LAB_FILE_SCHEMA } from './schema';
import { LabDocument } from './types';

export type DocumentPath = ReadonlyArray<string | number>;

/** A parsed, schema-valid lab file, and where each of its values stands in the file. */
export interface LabFile {
  readonly file: string;
  readonly lab: LabDocument;
  /** `file:line:column` of the value at `path`, or of its closest ancestor that exists. */
  position(path: DocumentPath): string;
}

/** Large enough for 10,000 VMs (about 1.6 MB of YAML), small enough to refuse a wrong file quickly. */
const MAX_LAB_FILE_BYTES = 32 * 2 ** 20;

/** Aliases a lab file may use (YAML `*ref`): enough for sharing a disk layout, far from a blow-up. */
const MAX_ALIASES = 50;

let validator: ValidateFunction | undefined;
function schemaValidator(): ValidateFunction {
  validator ??= new Ajv({ allErrors: true, verbose: true, discriminator: true, strict: true }).compile(LAB_FILE_SCHEMA);
  return validator;
}

/**
 * Reads a YAML (`.yaml`, `.yml`) or JSON (`.json`) lab file and checks it against the lab file
 * schema. Every problem is reported at once, each with its file position, the field, the value and
 * the rule; unknown keys are errors.
 */
export function readLabFile(file: string): LabFile {
  const at = (line: number, column: number) => `${file}:${line}:${column}`;
  let bytes: Buffer;
  try {
    // A device or FIFO would never end, and no lab needs more than a few megabytes.
    const stat = statSync(file);
    if (!stat.isFile()) throw new ValidationError([{ path: file, field: '(file)', value: file, rule: 'must be a regular file' }]);
    if (stat.size > MAX_LAB_FILE_BYTES) {
      throw new ValidationError([{ path: file, field: '(file)', value: `${stat.size} bytes`, rule: `a lab file is at most ${MAX_LAB_FILE_BYTES / 2 ** 20} MiB` }]);
    }
    bytes = readFileSync(file);
  } catch (error) {
    if (isValidationError(error)) throw error;
    throw new ValidationError([{ path: file, field: '(file)', value: file, rule: `cannot be read: ${(error as NodeJS.ErrnoException).code ?? (error as Error).message}` }]);
  }
  let text: string;
  try {
    text = new TextDecoder('utf-8', { fatal: true }).decode(bytes);
  } catch {
    throw new ValidationError([{ path: file, field: '(file)', value: file, rule: 'a lab file must be UTF-8 text' }]);
  }
  const carriageReturn = text.indexOf('\r');
  if (carriageReturn >= 0) {
    const line = text.slice(0, carriageReturn).split('\n').length;
    throw new ValidationError([{ path: `${file}:${line}`, field: '(file)', value: text.includes('\r\n') ? 'CRLF line endings' : 'a carriage return',
      rule: 'lab files use LF line endings only (a carriage return could end up in a name or path); convert the file, e.g. with dos2unix' }]);
  }
  const format = extname(file).toLowerCase();
  if (!['.yaml', '.yml', '.json'].includes(format)) {
    throw new ValidationError([{ path: file, field: '(file)', value: format || '(none)', rule: 'a lab file ends in .yaml, .yml or .json' }]);
  }

  const lineCounter = new LineCounter();
  const document = parseDocument(text.replace(/^\uFEFF/, ''), { lineCounter, uniqueKeys: true, prettyErrors: false, strict: true, version: '1.2' });
  const syntaxIssues: ValidationIssue[] = [...document.errors].map((error) => {
    const pos = lineCounter.linePos(error.pos[0]);
    return { path: at(pos.line, pos.col), field: '(syntax)', value: error.code, rule: error.message.split('\n')[0] };
  });
  if (format === '.json') {
    try {
      JSON.parse(text);
    } catch (error) {
      syntaxIssues.push({ path: file, field: '(syntax)', value: 'JSON', rule: `not valid JSON: ${(error as Error).message}` });
    }
  }
  if (syntaxIssues.length) throw new ValidationError(syntaxIssues);

  let lab: unknown;
  try {
    lab = document.toJS({ maxAliasCount: MAX_ALIASES });
  } catch (error) {
    throw new ValidationError([{ path: file, field: '(syntax)', value: 'aliases', rule: `${(error as Error).message} (at most ${MAX_ALIASES} alias expansions)` }]);
  }

  const position = (path: DocumentPath) => {
    const offset = offsetOf(document, path);
    if (offset === undefined) return file;
    const { line, col } = lineCounter.linePos(offset);
    return at(line, col);
  };

  const validate = schemaValidator();
  if (!validate(lab)) {
    throw new ValidationError(schemaIssues(validate.errors ?? []).map((issue) => ({ ...issue, path: position(issue.segments) })));
  }
  return { file, lab: lab as LabDocument, position };
}

/** The dotted form of a document path: `vms.vm01.interfaces[0].ip`. */
export function fieldName(path: DocumentPath): string {
  return path.reduce<string>((name, segment) =>
    typeof segment === 'number' ? `${name}[${segment}]` : name ? `${name}.${segment}` : segment, '') || '(top level)';
}

/** Offset of the node at `path`, or of a map key when the path names a key, or of the nearest ancestor. */
function offsetOf(document: Document, path: DocumentPath): number | undefined {
  for (let length = path.length; length >= 0; length--) {
    const prefix = path.slice(0, length);
    const node = prefix.length ? document.getIn(prefix, true) : document.contents;
    if (isNode(node) && node.range) return node.range[0];
    if (length > 0) {
      const parent = length > 1 ? document.getIn(path.slice(0, length - 1), true) : document.contents;
      if (isMap(parent)) {
        const pair = parent.items.find((item) => isPair(item) && isScalar(item.key) && item.key.value === path[length - 1]);
        if (pair && isScalar(pair.key) && pair.key.range) return pair.key.range[0];
      }
    }
  }
  return undefined;
}

function segmentsOf(instancePath: string): Array<string | number> {
  return instancePath.split('/').slice(1).map((s) => s.replace(/~1/g, '/').replace(/~0/g, '~')).map((s) => (/^\d+$/.test(s) ? Number(s) : s));
}

type LocatedIssue = Omit<ValidationIssue, 'path'> & { segments: Array<string | number> };

/** Turns ajv's errors into one issue per problem, phrased as rules. */
function schemaIssues(errors: ErrorObject[]): LocatedIssue[] {
  // A value matching none of several forms: report the value once, not every form's complaint.
  const alternatives = errors.filter((e) => e.keyword === 'oneOf' && e.schemaPath.endsWith('/oneOf') && !e.schemaPath.includes('discriminator'));
  const underAlternative = (e: ErrorObject) => alternatives.some((alt) => alt !== e && (e.instancePath === alt.instancePath || e.instancePath.startsWith(`${alt.instancePath}/`)) && e.schemaPath.startsWith(alt.schemaPath.replace(/\/oneOf$/, '')));
  const outermost = alternatives.filter((alt) => !alternatives.some((other) => other !== alt && alt.instancePath.startsWith(`${other.instancePath}/`)));
  const issues: LocatedIssue[] = [];
  const seen = new Set<string>();
  for (const error of errors) {
    if (underAlternative(error) || (error.keyword === 'oneOf' && !outermost.includes(error))) continue;
    const segments = segmentsOf(error.instancePath);
    let issue: LocatedIssue;
    switch (error.keyword) {
      case 'additionalProperties': {
        const key = (error.params as { additionalProperty: string }).additionalProperty;
        const allowed = Object.keys((error.parentSchema as { properties?: object }).properties ?? {}).filter((k) => k !== '$schema');
        issue = { segments: [...segments, key], field: fieldName([...segments, key]), value: (error.data as Record<string, unknown>)[key], rule: `is not a known key here${allowed.length ? `; allowed: ${allowed.join(', ')}` : ''}` };
        break;
      }
      case 'required': {
        const key = (error.params as { missingProperty: string }).missingProperty;
        issue = { segments, field: fieldName([...segments, key]), value: undefined, rule: 'is required' };
        break;
      }
      case 'type':
        issue = { segments, field: fieldName(segments), value: error.data, rule: (error.params as { type: string }).type === 'integer' ? 'must be a whole number' : `must be of type ${(error.params as { type: string }).type}` };
        break;
      case 'enum':
        issue = { segments, field: fieldName(segments), value: error.data, rule: `must be one of ${(error.params as { allowedValues: unknown[] }).allowedValues.map((v) => JSON.stringify(v)).join(', ')}` };
        break;
      case 'discriminator':
        issue = { segments: [...segments, 'kind'], field: fieldName([...segments, 'kind']), value: (error.data as Record<string, unknown>)?.kind, rule: 'must be one of "bridged", "routed", "nat"' };
        break;
      case 'oneOf':
        issue = { segments, field: fieldName(segments), value: error.data, rule: `must be ${(error.parentSchema as { description?: string }).description ?? 'one of the allowed forms'}` };
        break;
      default:
        issue = { segments, field: fieldName(segments), value: error.data, rule: error.message ?? error.keyword };
    }
    const key = `${issue.field}\u0000${issue.rule}`;
    if (!seen.has(key)) {
      seen.add(key);
      issues.push(issue);
    }
  }
  return issues;
}
