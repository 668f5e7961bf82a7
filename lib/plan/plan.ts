import { FileChange, diffFiles } from './file-changes';
import { OutputTree } from './output-tree';
import { ResourceChange, SettingChange, diffSettings, diffTerraform } from './terraform-changes';
import { StorageChanges, diffStorage } from './xl-storage';

export interface StackPlan {
  readonly stack: string;
  readonly resources: readonly ResourceChange[];
  readonly settings: readonly SettingChange[];
  readonly files: readonly FileChange[];
  readonly storage: StorageChanges;
}

/** One change that loses data, for the summary and the refusal. */
export interface DataLoss {
  readonly stack: string;
  readonly subject: string;
  readonly message: string;
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
  /** Changes that destroy or replace something holding data, on libvirt hosts and on dom0. */
  readonly dataLoss: readonly DataLoss[];
  readonly hasChanges: boolean;
}

/** What turning the `before` output into the `after` output changes, per stack. */
export function createPlan(before: OutputTree, after: OutputTree, only?: ReadonlySet<string>): Plan {
  const ids = [...new Set([...before.keys(), ...after.keys()])].filter((id) => !only || only.has(id)).sort();
  const stacks: StackPlan[] = ids.map((stack) => {
    const oldFiles = before.get(stack)?.xenFiles ?? new Map<string, string>();
    const newFiles = after.get(stack)?.xenFiles ?? new Map<string, string>();
    return {
      stack,
      resources: diffTerraform(before.get(stack)?.terraform, after.get(stack)?.terraform),
      settings: diffSettings(before.get(stack)?.terraform, after.get(stack)?.terraform),
      files: diffFiles(stack, oldFiles, newFiles),
      storage: diffStorage(oldFiles, newFiles),
    };
  }).filter((s) => s.resources.length || s.settings.length || s.files.length);
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
  const dataLoss: DataLoss[] = stacks.flatMap((s) => [
    ...s.resources.filter((r) => r.dataLoss).map((r) => ({
      stack: s.stack, subject: r.address,
      message: `${r.address}${r.constructPath ? ` (${r.constructPath})` : ''} will be ${r.action === 'replace' ? 'replaced' : 'destroyed'}: its data is lost${r.preventDestroy ? ' (prevent_destroy is set: terraform apply refuses until it is turned off)' : ''}`,
    })),
    ...s.storage.dataLoss.map((f) => ({ stack: s.stack, subject: f.subject, message: f.message })),
  ]);
  return { stacks, summary, dataLoss, hasChanges: stacks.length > 0 };
}
