import { Testing } from 'cdktf';
import { LabStack } from '../../lib';

/** Synthesizes a stack's Terraform JSON the way cdktf's Testing helpers do (aspects included). */
export function terraformOf(stack: LabStack): { synthesized: string; json: TerraformJson } {
  const synthesized = Testing.synth(stack);
  return { synthesized, json: JSON.parse(synthesized) as TerraformJson };
}

export interface TerraformJson {
  readonly provider?: Record<string, Array<Record<string, unknown>>>;
  readonly resource?: Record<string, Record<string, Record<string, any>>>;
  readonly terraform?: Record<string, any>;
}

/** The resources of one type, as a list of bodies. */
export function resourcesOf(json: TerraformJson, type: string): Array<Record<string, any>> {
  return Object.values(json.resource?.[type] ?? {});
}

/** The resource a `${type.name.attribute}` reference points at. */
export function referenced(json: TerraformJson, reference: string): { type: string; name: string; attribute: string; body: Record<string, any> } {
  const match = /^\$\{([a-z_]+)\.([^.]+)\.([a-z_]+)\}$/.exec(reference);
  if (!match) throw new Error(`not a plain resource reference: ${reference}`);
  const [, type, name, attribute] = match;
  const body = json.resource?.[type]?.[name];
  if (!body) throw new Error(`reference to a missing resource: ${reference}`);
  return { type, name, attribute, body };
}
