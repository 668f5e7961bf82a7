import type { StackDefinition } from '../lib/synth/synthesize';
import { LibvirtLabStack } from './libvirt-lab';
import { XenLabStack } from './xen-lab';

/** The built-in example labs, in the order `virtlab list` shows them. */
export const stacks: readonly StackDefinition[] = [
  { id: 'xen-lab', define: (scope, id) => new XenLabStack(scope, id) },
  { id: 'libvirt-lab', define: (scope, id) => new LibvirtLabStack(scope, id) },
];
