import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { LabModel, StackDefinition, synthesizeStacks, validateStacks } from '../lib';
import { configFileName, installConfigFileName } from '../lib/render/xl-config';
import { xlPart } from '../lib/render/xen-files';
import { stacks } from '../stacks';
import { edgeLab } from './support/labs';
import { describeIfXl, parseWithXl } from './support/xl-toolstack';
import { expectedDomain, modelledPart } from './support/xl-expectations';

const labs: StackDefinition[] = [...stacks, edgeLab];

describeIfXl('every generated xl.cfg parses with the real xl and matches the model', () => {
  const scratch = mkdtempSync(join(tmpdir(), 'virtlab-xl-'));
  afterAll(() => rmSync(scratch, { recursive: true, force: true }));
  const outdir = join(scratch, 'out');
  synthesizeStacks(labs, outdir);
  // Every VM that xl runs: those without a libvirt host and those on Xen hosts.
  const models: LabModel[] = validateStacks(labs).map((stack) => xlPart(stack.toModel()));
  const cases = models.flatMap((lab) => lab.vms.flatMap((vm) => {
    const install = installConfigFileName(vm);
    return [
      ...(install ? [{ lab, vm, phase: 'install' as const, file: install }] : []),
      { lab, vm, phase: 'final' as const, file: configFileName(vm) },
    ];
  }));
  const parsed = parseWithXl(cases.map((c) => join(outdir, 'stacks', c.lab.stackName, 'xen', c.file)));

  it('covers every example VM and both boot phases', () => {
    expect(cases.length).toBeGreaterThanOrEqual(9);
    expect(new Set(cases.map((c) => c.vm.type))).toEqual(new Set(['pv', 'pvh', 'hvm']));
  });

  it.each(cases.map((c, i) => [`${c.lab.stackName}/${c.file}`, i] as const))('%s', (_name, i) => {
    const { vm, phase } = cases[i];
    expect(modelledPart(parsed[i])).toEqual(expectedDomain(vm, phase));
  });
});
