#!/usr/bin/env node
'use strict';
// npm run bench: cold `virtlab synth` of generated labs (1, 100, 1,000 and 10,000 VMs) against the
// floor, a plain cdktf app emitting the same Terraform resources (bench/floor.js), each as a fresh
// process, several runs; median wall time, peak RSS, cost per VM, ratios. See docs/benchmarks.md.
//   node bench/bench.js [--sizes 1,100,1000,10000] [--runs N] [--json]
const { spawnSync } = require('node:child_process');
const { mkdtempSync, readFileSync, rmSync, writeFileSync } = require('node:fs');
const { cpus, tmpdir, totalmem } = require('node:os');
const { join, resolve } = require('node:path');
const { writeBenchLab, resourceCount } = require('./labs');

const root = resolve(__dirname, '..');
const args = process.argv.slice(2);
const option = (name, fallback) => {
  const i = args.indexOf(`--${name}`);
  return i >= 0 ? args[i + 1] : fallback;
};
const sizes = option('sizes', '1,100,1000,10000').split(',').map(Number);
const runsFor = (size) => Number(option('runs', size >= 10000 ? 3 : 5));
const scratch = mkdtempSync(join(tmpdir(), 'virtlab-bench-'));

function median(values) {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = sorted.length >> 1;
  return sorted.length % 2 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
}

/** Runs `argv` as a fresh node process `runs` times; median wall seconds and peak RSS MiB. */
function measure(argv, runs) {
  const walls = [];
  const rssFile = join(scratch, `rss-${Math.random().toString(36).slice(2)}`);
  writeFileSync(rssFile, '');
  for (let r = 0; r < runs; r++) {
    const out = join(scratch, `out-${r}`);
    const started = process.hrtime.bigint();
    const run = spawnSync(process.execPath, ['--require', join(__dirname, 'report-rss.js'), ...argv(out)], {
      cwd: scratch, encoding: 'utf8', env: { ...process.env, BENCH_RSS_FILE: rssFile },
    });
    walls.push(Number(process.hrtime.bigint() - started) / 1e9);
    if (run.status !== 0) throw new Error(`${argv(out).join(' ')} failed:\n${run.stderr}`);
    rmSync(out, { recursive: true, force: true });
  }
  const rss = readFileSync(rssFile, 'utf8').trim().split('\n').map(Number);
  return { wall: median(walls), walls, rssMiB: Math.max(...rss) / 1024 };
}

const virtlab = join(root, 'bin', 'virtlab');
const results = [];

const example = measure((out) => [virtlab, 'synth', 'xen-lab', '--out', out, '--quiet'], 7);
for (const size of sizes) {
  const lab = join(scratch, `lab-${size}.yaml`);
  writeBenchLab(size, lab);
  const runs = runsFor(size);
  const synth = measure((out) => [virtlab, 'synth', '--file', lab, '--out', out, '--quiet'], runs);
  const floor = measure((out) => [join(__dirname, 'floor.js'), String(size), out], runs);
  const tuned = measure((out) => [join(__dirname, 'floor.js'), String(size), out, '--tuned'], runs);
  results.push({ size, resources: resourceCount(size), runs, synth, floor, tuned, ratio: synth.wall / floor.wall, tunedRatio: synth.wall / tuned.wall, perVmMs: (synth.wall * 1000) / size });
  process.stderr.write(`  ${size} VMs: virtlab ${synth.wall.toFixed(2)} s, floor ${floor.wall.toFixed(2)} s, tuned floor ${tuned.wall.toFixed(2)} s\n`);
}
rmSync(scratch, { recursive: true, force: true });

const at = (size) => results.find((r) => r.size === size);
const verdicts = [
  ['example lab (xen-lab), cold virtlab synth', `${example.wall.toFixed(3)} s`, '≤ 0.4 s', example.wall <= 0.4],
];
if (at(10000)) {
  verdicts.push(['10,000 VMs vs floor', `${at(10000).ratio.toFixed(2)}×`, '≤ 2×', at(10000).ratio <= 2]);
  verdicts.push(['10,000 VMs peak RSS', `${at(10000).synth.rssMiB.toFixed(0)} MiB`, '≤ 1024 MiB', at(10000).synth.rssMiB <= 1024]);
}
if (at(10000) && at(1000)) {
  const scale = at(10000).synth.wall / at(1000).synth.wall;
  verdicts.push(['10,000-VM time / 1,000-VM time', `${scale.toFixed(2)}×`, '≤ 11×', scale <= 11]);
}

if (args.includes('--json')) {
  process.stdout.write(`${JSON.stringify({ example, results, verdicts }, null, 2)}\n`);
} else {
  const lines = [
    `Machine: ${cpus().length} × ${cpus()[0].model.trim()}, ${(totalmem() / 2 ** 30).toFixed(0)} GiB, Node ${process.version}, ${process.platform}/${process.arch}`,
    '',
    '| VMs | Terraform resources | runs | virtlab synth (median) | peak RSS | per VM | floor (median) | floor RSS | ratio | tuned floor | ratio to tuned |',
    '| ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |',
    ...results.map((r) => `| ${r.size} | ${r.resources} | ${r.runs} | ${r.synth.wall.toFixed(3)} s | ${r.synth.rssMiB.toFixed(0)} MiB | ${r.perVmMs.toFixed(2)} ms | ${r.floor.wall.toFixed(3)} s | ${r.floor.rssMiB.toFixed(0)} MiB | ${r.ratio.toFixed(2)}× | ${r.tuned.wall.toFixed(3)} s | ${r.tunedRatio.toFixed(2)}× |`),
    '',
    '| target | measured | goal | met |',
    '| --- | ---: | ---: | :---: |',
    ...verdicts.map(([what, measured, goal, met]) => `| ${what} | ${measured} | ${goal} | ${met ? 'yes' : 'no'} |`),
  ];
  process.stdout.write(`${lines.join('\n')}\n`);
}
