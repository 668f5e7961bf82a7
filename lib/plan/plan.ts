import { FileChange, diffFiles } from './file-changes';
import { OutputTree } from './output-tree';
import { ResourceChange, diffTerraform } from './terraform-changes';

export interface StackPlan {
  readonly stack: string;
  readonly resources: readonly ResourceChange[];
  readonly files: readonly FileChange[];
}

export interface PlanSummary {
  /** Terraform's counts: a replacement is one to add and one to destroy. */
  readonly add: number;
  readonly change: number;
  readonly destroy: number;
  readonly filesAdded: number;
  readonly filesChanged: number;
  readonly filesRemoved: number;
}

export interface Plan {
  readonly stacks: readonly StackPlan[];
  readonly summary: PlanSummary;
  /** Changes that destroy or replace something holding data. */
  readonly dataLoss: readonly ResourceChange[];
  readonly hasChanges: boolean;
}

/** What turning the `before` output into the `after` output changes, per stack. */
export function createPlan(before: OutputTree, after: OutputTree, only?: ReadonlySet<string>): Plan {
  const ids = [...new Set([...before.keys(), ...after.keys()])].filter((id) => !only || only.has(id)).sort();
  const stacks = ids.map((stack) => ({
    stack,
    resources: diffTerraform(before.get(stack)?.terraform, after.get(stack)?.terraform),
    files: diffFiles(stack, before.get(stack)?.xenFiles ?? new Map(), after.get(stack)?.xenFiles ?? new Map()),
  })).filter((s) => s.resources.length || s.files.length);
  const all = stacks.flatMap((s) => s.resources);
  const count = (action: string) => all.filter((r) => r.action === action).length;
  const files = stacks.flatMap((s) => s.files);
  const summary: PlanSummary = {
    add: count('create') + count('replace'),
    change: count('update'),
    destroy: count('destroy') + count('replace'),
    filesAdded: files.filter((f) => f.action === 'add').length,
    filesChanged: files.filter((f) => f.action === 'change').length,
    filesRemoved: files.filter((f) => f.action === 'remove').length,
  };
  return { stacks, summary, dataLoss: all.filter((r) => r.dataLoss), hasChanges: stacks.length > 0 };
}
