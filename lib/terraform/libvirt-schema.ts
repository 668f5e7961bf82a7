import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { existsSync } from 'node:fs';
import { ProviderSchemaDocument } from './schema-check';

let schema: ProviderSchemaDocument | undefined;

/** The dmacvicar/libvirt schema kept in providers/, read once. */
export function libvirtSchema(): ProviderSchemaDocument {
  if (schema) return schema;
  for (let dir = __dirname; ; dir = dirname(dir)) {
    const file = join(dir, 'providers', 'dmacvicar-libvirt.schema.json');
    if (existsSync(file)) return (schema = JSON.parse(readFileSync(file, 'utf8')) as ProviderSchemaDocument);
    if (dirname(dir) === dir) throw new Error(`providers/dmacvicar-libvirt.schema.json was not found above ${__dirname}`);
  }
}
