import { readFileSync } from 'node:fs';
import { packagePath } from '../files';
import { ProviderSchemaDocument } from './schema-check';

let schema: ProviderSchemaDocument | undefined;

/** The dmacvicar/libvirt schema kept in providers/, read once. */
export function libvirtSchema(): ProviderSchemaDocument {
  schema ??= JSON.parse(readFileSync(packagePath('providers', 'dmacvicar-libvirt.schema.json'), 'utf8')) as ProviderSchemaDocument;
  return schema;
}
