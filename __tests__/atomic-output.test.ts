import { ChildProcess, spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, rmSync, symlinkSync, writeFileSync, lstatSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { readTree } from './support/output';

/**
 * What happens to the output directory when synth is interrupted or raced: the previous output
 * survives byte for byte (or the new one is complete), never a mix, never nothing.
 */
const root = resolve(__dirname, '..');
let scratch: string;

/** A lab file with `count` VMs; `variant` changes every VM's memory, so the outputs differ everywhere. */
function labFile(name: string, count: number, variant: number): string {
  const vms = Array.from({ length: count }, (_, i) => `  vm${i}:\n    memoryMiB: ${512 + variant}\n    boot: pygrub\n    interfaces: [ { network: lan } ]\n`).join('');
  const file = join(scratch, `${name}.yaml`);
  writeFileSync(file, `name: race\nnetworks:\n  lan: { kind: bridged }\nvms:\n${vms}`);
  return file;
}

const synth = (file: string, out: string) => spawnSync(process.execPath, [join(root, 'bin', 'virtlab'), 'synth', '--file', file, '--out', out, '--quiet'], { cwd: scratch, encoding: 'utf8' });
const start = (file: string, out: string) => spawn(process.execPath, [join(root, 'bin', 'virtlab'), 'synth', '--file', file, '--out', out, '--quiet'], { cwd: scratch, stdio: ['ignore', 'pipe', 'pipe'] });
const exited = (child: ChildProcess) => new Promise<{ code: number | null; stderr: string }>((done) => {
  let stderr = '';
  child.stderr!.on('data', (chunk) => { stderr += chunk; });
  child.on('close', (code) => done({ code, stderr }));
});
const sleep = (ms: number) => new Promise((done) => setTimeout(done, ms));

let labA: string;
let labB: string;
let outputA: Record<string, string>;
let outputB: Record<string, string>;
let synthMillis: number;

beforeAll(() => {
  scratch = mkdtempSync(join(tmpdir(), 'virtlab-atomic-'));
  labA = labFile('a', 120, 0);
  labB = labFile('b', 120, 1);
  const began = Date.now();
  expect(synth(labB, join(scratch, 'expected-b')).status).toBe(0);
  synthMillis = Date.now() - began;
  outputB = readTree(join(scratch, 'expected-b'));
  expect(synth(labA, join(scratch, 'expected-a')).status).toBe(0);
  outputA = readTree(join(scratch, 'expected-a'));
});
afterAll(() => rmSync(scratch, { recursive: true, force: true }));

describe('an interrupted synth', () => {
  it('leaves the previous output byte-identical (or the new one complete) when killed at any point', async () => {
    const out = join(scratch, 'killed');
    const outcomes = { previous: 0, replaced: 0 };
    // Kill points spread over the whole run, densest near the end, where the output is swapped.
    const fractions = [0, 0.1, 0.25, 0.4, 0.55, 0.7, 0.8, 0.85, 0.9, 0.93, 0.96, 1.0, 1.05, 1.15];
    for (const fraction of fractions) {
      if (JSON.stringify(readTreeIfAny(out)) !== JSON.stringify(outputA)) expect(synth(labA, out).status).toBe(0);
      const child = start(labB, out);
      const done = exited(child);
      await sleep(Math.round(synthMillis * fraction));
      child.kill('SIGKILL');
      await done;
      const after = readTree(out);
      if (JSON.stringify(after) === JSON.stringify(outputA)) outcomes.previous++;
      else {
        expect(after).toEqual(outputB);
        outcomes.replaced++;
      }
    }
    expect(outcomes.previous + outcomes.replaced).toBe(fractions.length);
    expect(outcomes.previous).toBeGreaterThan(0);
    // The next synth cleans up whatever a killed one left beside the output directory.
    expect(synth(labA, out).status).toBe(0);
    expect(readdirSync(scratch).filter((entry) => entry.startsWith('.killed.'))).toEqual([]);
    expect(readTree(out)).toEqual(outputA);
  }, 180_000);
});

describe('concurrent synths', () => {
  it('never interleave: the output is one of them, whole, and a loser says why', async () => {
    const out = join(scratch, 'raced');
    for (let round = 0; round < 4; round++) {
      const results = await Promise.all([exited(start(labA, out)), exited(start(labB, out))]);
      for (const result of results) {
        if (result.code !== 0) {
          expect(result.code).toBe(1);
          expect(result.stderr).toMatch(/another virtlab synth \(pid \d+\) is writing .*raced; wait for it to finish/);
        }
      }
      expect(results.some((r) => r.code === 0)).toBe(true);
      const after = JSON.stringify(readTree(out));
      expect([JSON.stringify(outputA), JSON.stringify(outputB)]).toContain(after);
    }
  }, 120_000);

  it('refuse while another live synth holds the lock, and take over a dead one\'s lock', () => {
    const out = join(scratch, 'locked');
    expect(synth(labA, out).status).toBe(0);
    const lock = join(scratch, '.locked.lock');
    writeFileSync(lock, `${process.pid}\n`);
    const refused = synth(labB, out);
    expect(refused.status).toBe(1);
    expect(refused.stderr).toBe(`virtlab: another virtlab synth (pid ${process.pid}) is writing ${out}; wait for it to finish, or remove ${lock} if no such process exists\n`);
    expect(readTree(out)).toEqual(outputA);
    const dead = spawnSync(process.execPath, ['-e', 'console.log(process.pid)'], { encoding: 'utf8' });
    writeFileSync(lock, dead.stdout);
    expect(synth(labB, out).status).toBe(0);
    expect(readTree(out)).toEqual(outputB);
    expect(existsSync(lock)).toBe(false);
  });
});

describe('symbolic links in the output directory', () => {
  it('are never followed out of it, and nothing outside is deleted', () => {
    const out = join(scratch, 'links');
    expect(synth(labA, out).status).toBe(0);
    const outside = join(scratch, 'precious');
    mkdirSync(outside);
    writeFileSync(join(outside, 'keep.txt'), 'mine');
    symlinkSync(outside, join(out, 'stacks', 'race', '.terraform'));
    symlinkSync(outside, join(out, 'stacks', 'ghost'));
    expect(synth(labB, out).status).toBe(0);
    expect(readTree(outside)).toEqual({ 'keep.txt': 'mine' });
    expect(lstatSync(join(out, 'stacks', 'race', '.terraform')).isSymbolicLink()).toBe(true);
    expect(existsSync(join(out, 'stacks', 'ghost'))).toBe(false);
  });
});

function readTreeIfAny(dir: string) {
  return existsSync(dir) ? readTree(dir) : {};
}
