import { LabModel } from '../model/types';
import { renderDom0Files } from './dom0';
import { GeneratedFile, renderXlConfigs } from './xl-config';

/** Every Xen file of a lab, relative to the stack's `xen/` directory, in a stable order. */
export function renderXenFiles(lab: LabModel): GeneratedFile[] {
  return [...lab.vms.flatMap((vm) => renderXlConfigs(vm, lab.stackName)), ...renderDom0Files(lab)];
}
