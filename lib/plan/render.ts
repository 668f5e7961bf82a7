import { Plan, StackPlan } from './plan';
import { AttributeChange, ResourceChange } from './terraform-changes';

const HEADLINE: Record<ResourceChange['action'], string> = {
  create: 'will be created',
  update: 'will be updated in-place',
  replace: 'must be replaced',
  destroy: 'will be destroyed',
};
const SYMBOL: Record<ResourceChange['action'], string> = { create: '+', update: '~', replace: '-/+', destroy: '-' };

const show = (value: unknown) => (value === undefined ? 'null' : JSON.stringify(value));

function attributeLine(change: AttributeChange, action: ResourceChange['action']): string {
  const note = change.forcesReplacement ? ' # forces replacement' : '';
  if (action === 'create') return `+ ${change.path} = ${show(change.after)}`;
  if (action === 'destroy') return `- ${change.path} = ${show(change.before)}`;
  if (!('before' in change)) return `+ ${change.path} = ${show(change.after)}${note}`;
  if (!('after' in change)) return `- ${change.path} = ${show(change.before)} -> null${note}`;
  return `~ ${change.path} = ${show(change.before)} -> ${show(change.after)}${note}`;
}

/** A resource change in `terraform plan`'s notation. */
export function renderResource(change: ResourceChange): string {
  const lines = [`# ${change.address} ${HEADLINE[change.action]}${change.constructPath ? ` (${change.constructPath})` : ''}`];
  if (change.dataLoss) lines.push('# DATA LOSS: the data this resource holds is lost');
  lines.push(`${SYMBOL[change.action]} resource "${change.type}" "${change.name}" {`);
  for (const attribute of change.attributes) lines.push(`    ${attributeLine(attribute, change.action)}`);
  lines.push('  }');
  return lines.join('\n');
}

function stackSections(stack: StackPlan): string[] {
  const sections: string[] = [];
  if (stack.settings.length) {
    sections.push(`Terraform settings changes in ${stack.stack} (providers, backend):\n\n${stack.settings.map((c) => `~ ${c.path} = ${show(c.before)} -> ${show(c.after)}`).join('\n')}`);
  }
  if (stack.resources.length) sections.push(`Terraform changes in ${stack.stack}:\n\n${stack.resources.map(renderResource).join('\n\n')}`);
  if (stack.files.length) {
    sections.push(`Xen file changes in ${stack.stack}:\n\n${stack.files.map((f) => `# ${f.affects}: ${f.path} will be ${{ add: 'added', change: 'changed', remove: 'removed' }[f.action]}\n${f.diff}`).join('\n\n')}`);
  }
  if (stack.storage.notes.length) {
    sections.push(`Dom0 notes for ${stack.stack}:\n\n${stack.storage.notes.map((n) => `# ${n.message}`).join('\n')}`);
  }
  return sections;
}

export function summaryLines(plan: Plan): string[] {
  const s = plan.summary;
  return [
    `Plan: ${s.add} to add, ${s.change} to change, ${s.destroy} to destroy.`,
    `Xen files: ${s.filesAdded} to add, ${s.filesChanged} to change, ${s.filesRemoved} to remove.`,
  ];
}

function dataLossLines(plan: Plan): string[] {
  return plan.dataLoss.map((d) => d.message);
}

/** The plan as text for a terminal. */
export function renderText(plan: Plan, baseline: string): string {
  if (!plan.hasChanges) return `No changes against ${baseline}: the lab and the baseline synthesize the same files.\n`;
  const parts = [`Changes against ${baseline}:`, ...plan.stacks.flatMap(stackSections)];
  if (plan.dataLoss.length) parts.push(`Data loss:\n${dataLossLines(plan).map((l) => `  ${l}`).join('\n')}`);
  parts.push(summaryLines(plan).join('\n'));
  return `${parts.join('\n\n')}\n`;
}

/** The plan as Markdown, for a pull-request comment. */
export function renderMarkdown(plan: Plan, baseline: string): string {
  const lines = ['### virtlab plan', ''];
  if (!plan.hasChanges) return `${[...lines, `No changes against \`${baseline}\`.`].join('\n')}\n`;
  lines.push(`Against \`${baseline}\`: **${summaryLines(plan)[0]}** ${summaryLines(plan)[1]}`, '');
  if (plan.dataLoss.length) {
    lines.push('> [!CAUTION]', '> **Data loss.** These changes destroy data:');
    for (const l of dataLossLines(plan)) lines.push(`> - \`${l.replace(/`/g, "'")}\``);
    lines.push('');
  }
  const fence = (text: string) => {
    const longest = Math.max(2, ...[...text.matchAll(/`+/g)].map((m) => m[0].length));
    return '`'.repeat(longest + 1);
  };
  for (const stack of plan.stacks) {
    for (const section of stackSections(stack)) {
      const [title, ...body] = section.split('\n\n');
      const text = body.join('\n\n');
      const f = fence(text);
      lines.push(`<details><summary>${title.replace(/:$/, '').replace(/[<>&]/g, '')}</summary>`, '', `${f}diff`, text, f, '', '</details>', '');
    }
  }
  return `${lines.join('\n').trimEnd()}\n`;
}

/** The plan for machines. */
export function renderJson(plan: Plan, baseline: string): string {
  return `${JSON.stringify({ baseline, ...plan }, null, 2)}\n`;
}
