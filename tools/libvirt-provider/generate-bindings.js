#!/usr/bin/env node
// Generates the TypeScript bindings of the dmacvicar/libvirt provider into .gen/providers/libvirt,
// as `cdktf get` does, but from the schema kept in the repo (providers/), so no terraform binary
// or registry is needed. Run by `npm run get` (and before every build, see `npm run build`).
//
// Generated code is never edited by hand. A directory written by `cdktf get` (full bindings, no
// stamp file) is left alone unless --force is given; ours is rewritten when the schema changes.
'use strict';
const { createHash } = require('node:crypto');
const { existsSync, mkdirSync, mkdtempSync, readFileSync, renameSync, rmSync, writeFileSync } = require('node:fs');
const { join, resolve } = require('node:path');

const root = resolve(__dirname, '..', '..');
const schemaFile = join(root, 'providers', 'dmacvicar-libvirt.schema.json');
const genRoot = join(root, '.gen');
const target = join(genRoot, 'providers', 'libvirt');
const stampFile = join(target, '.virtlab-schema.sha256');
const force = process.argv.includes('--force');

const schemaText = readFileSync(schemaFile, 'utf8');
const stamp = createHash('sha256').update(schemaText).digest('hex');

if (existsSync(target) && !force) {
  if (!existsSync(stampFile)) {
    console.log('virtlab: .gen/providers/libvirt was written by `cdktf get`; kept (use --force to regenerate from providers/)');
    process.exit(0);
  }
  if (readFileSync(stampFile, 'utf8').trim() === stamp) process.exit(0);
}

// Loading the generator runs `terraform version` where terraform is installed, which complains
// loudly when its CLI configuration file is missing; an empty one answers it. No terraform is needed.
if (!process.env.TF_CLI_CONFIG_FILE || !existsSync(process.env.TF_CLI_CONFIG_FILE)) {
  const emptyConfig = join(require('node:os').tmpdir(), 'virtlab-empty.terraformrc');
  writeFileSync(emptyConfig, '');
  process.env.TF_CLI_CONFIG_FILE = emptyConfig;
}
// What generateProviderBindingsFromSchema does, without the package index, which loads the JSII
// language tooling (jsii-pacmak) that TypeScript bindings never need.
const { TerraformProviderGenerator } = require('@cdktf/provider-generator/lib/get/generator/provider-generator');
const { CodeMaker } = require('codemaker');

async function main() {
  const code = new CodeMaker();
  new TerraformProviderGenerator(code, JSON.parse(schemaText)).generateAll();
  mkdirSync(genRoot, { recursive: true });
  const staging = mkdtempSync(join(genRoot, '.staging-'));
  try {
    await code.save(staging);
    writeFileSync(join(staging, 'providers', 'libvirt', '.virtlab-schema.sha256'), `${stamp}\n`);
    rmSync(target, { recursive: true, force: true });
    mkdirSync(join(genRoot, 'providers'), { recursive: true });
    renameSync(join(staging, 'providers', 'libvirt'), target);
  } finally {
    rmSync(staging, { recursive: true, force: true });
  }
  console.log(`virtlab: generated .gen/providers/libvirt from ${schemaFile.slice(root.length + 1)}`);
}

main().catch((error) => {
  console.error(error);
  process.exit(1);
});
