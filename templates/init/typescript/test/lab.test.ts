import assert from 'node:assert/strict';
import { test } from 'node:test';
import { renderXenFiles, validateStacks } from 'virtlab';
import { stacks } from '../stacks';

test('the lab passes every virtlab rule', () => {
  const [lab] = validateStacks(stacks);
  assert.equal(lab.toModel().vms.length, 1);
});

test('vm01 installs from the Debian netboot installer, then boots with pygrub', () => {
  const files = renderXenFiles(validateStacks(stacks)[0].toModel());
  const install = files.find((f) => f.path === 'vm01.install.cfg');
  const final = files.find((f) => f.path === 'vm01.cfg');
  assert.match(install?.content ?? '', /^kernel = "\/var\/lib\/xen\/images\/debian-12\/vmlinuz"$/m);
  assert.match(final?.content ?? '', /^bootloader = "pygrub"$/m);
});
