import { spawnSync } from 'node:child_process';
import {
  chmodSync, closeSync, cpSync, existsSync, lstatSync, mkdirSync, mkdtempSync, openSync, readFileSync, readdirSync, renameSync, rmSync,
  statSync, unlinkSync, writeFileSync, writeSync,
} from 'node:fs';
import { basename, dirname, join, parse, sep } from 'node:path';
import stableStringify from 'json-stable-stringify';
import { ValidationError } from '../errors';

/**
 * The output directory (`cdktf.out`) and how synthesis replaces it: only a directory that looks
 * like a previous output, never through a symbolic link, under a lock, and in one atomic step, so
 * a synth that fails or is killed leaves the previous output as it was.
 */

/** What a previous synth output holds at its top; anything else means the directory is someone's. */
const OUTPUT_ENTRIES = new Set(['manifest.json', 'stacks']);

function refuse(target: string, rule: string): never {
  throw new ValidationError([{ path: target, field: 'output directory', value: target, rule }]);
}

/**
 * Refuses an output directory that might hold something else: a directory with entries no synth
 * output has, a symbolic link, a file, the current directory or one of its parents.
 */
export function checkOutputDirectory(target: string): void {
  const cwd = process.cwd();
  if (target === cwd || cwd.startsWith(`${target}${sep}`) || target === parse(target).root) {
    refuse(target, 'must not be the current directory or contain it: synth replaces the output directory as a whole');
  }
  let stat;
  try {
    stat = lstatSync(target);
  } catch {
    return; // absent: created on success
  }
  if (stat.isSymbolicLink()) refuse(target, 'must not be a symbolic link (virtlab never writes through one); name the directory it points to');
  if (!stat.isDirectory()) refuse(target, 'exists and is not a directory');
  const foreign = readdirSync(target).filter((entry) => !OUTPUT_ENTRIES.has(entry));
  if (foreign.length) {
    refuse(target, `holds ${foreign.slice(0, 3).join(', ')}${foreign.length > 3 ? ', …' : ''}, which no synth output has: synth replaces the output directory as a whole`);
  }
}

/** Another synth holds the output directory's lock. */
export class OutputBusyError extends Error {
  constructor(target: string, holder: string) {
    super(`another virtlab synth (${holder}) is writing ${target}; wait for it to finish, or remove ${lockFileOf(target)} if no such process exists`);
    this.name = 'OutputBusyError';
  }
}

function lockFileOf(target: string): string {
  return join(dirname(target), `.${basename(target)}.lock`);
}

function processAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/**
 * Runs `work` holding the output directory's lock (a file beside it, made with O_EXCL). A lock
 * left by a process that no longer exists (a killed synth) is taken over; the leftovers of such a
 * synth beside the directory are removed.
 */
export function withOutputLock<T>(target: string, work: () => T): T {
  const lockFile = lockFileOf(target);
  mkdirSync(dirname(target), { recursive: true });
  let fd: number | undefined;
  for (let attempt = 0; fd === undefined; attempt++) {
    try {
      fd = openSync(lockFile, 'wx');
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST' || attempt > 0) throw error;
      const holder = Number.parseInt(readFileSync(lockFile, 'utf8'), 10);
      if (Number.isInteger(holder) && holder > 0 && processAlive(holder)) throw new OutputBusyError(target, `pid ${holder}`);
      // A lock with no pid yet may be one another synth has just made: only an old one is stale.
      if (!Number.isInteger(holder) && Date.now() - statSync(lockFile).mtimeMs < 10_000) throw new OutputBusyError(target, 'a starting process');
      unlinkSync(lockFile);
    }
  }
  try {
    writeSync(fd, `${process.pid}\n`);
    closeSync(fd);
    removeLeftovers(target);
    return work();
  } finally {
    rmSync(lockFile, { force: true });
  }
}

const LEFTOVER = (target: string) => new RegExp(`^\\.${basename(target).replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}\\.(incoming|outgoing)-`);

function removeLeftovers(target: string): void {
  const pattern = LEFTOVER(target);
  for (const entry of readdirSync(dirname(target))) {
    if (pattern.test(entry)) rmSync(join(dirname(target), entry), { recursive: true, force: true });
  }
}

/** Keeps, from the previous output, the stacks not synthesized now and Terraform's working files. */
export function carryOver(previous: string, staging: string, synthesized: ReadonlySet<string>): void {
  const manifestFile = join(previous, 'manifest.json');
  if (!existsSync(manifestFile)) return;
  const old = JSON.parse(readFileSync(manifestFile, 'utf8')) as { stacks: Record<string, { workingDirectory: string }> };
  const manifest = JSON.parse(readFileSync(join(staging, 'manifest.json'), 'utf8')) as { stacks: Record<string, unknown> };
  let carried = false;
  for (const [id, entry] of Object.entries(old.stacks ?? {})) {
    const from = join(previous, 'stacks', id);
    if (!existsSync(from) || entry.workingDirectory !== join('stacks', id)) continue;
    if (!synthesized.has(id)) {
      cpSync(from, join(staging, 'stacks', id), { recursive: true, verbatimSymlinks: true });
      manifest.stacks[id] = entry;
      carried = true;
      continue;
    }
    for (const name of ['.terraform', '.terraform.lock.hcl']) {
      if (existsSync(join(from, name)) && existsSync(join(staging, 'stacks', id))) {
        cpSync(join(from, name), join(staging, 'stacks', id, name), { recursive: true, verbatimSymlinks: true });
      }
    }
  }
  // Written as cdktf writes its manifest, so the file reads the same either way.
  if (carried) writeFileSync(join(staging, 'manifest.json'), stableStringify(manifest, { space: 2 }) ?? '');
}

/** renameat2's syscall number per architecture (Linux), for RENAME_EXCHANGE. */
const RENAMEAT2: Partial<Record<NodeJS.Architecture, number>> = { x64: 316, arm64: 276, ia32: 353, arm: 382, riscv64: 276, ppc64: 357, s390x: 347 };

/**
 * Swaps two directories in one step with renameat2(RENAME_EXCHANGE). Node has no binding for it,
 * so Perl's syscall() makes the call (perl-base is part of every Debian system). Returns false
 * where that is not possible, and the caller falls back to two renames.
 */
export function exchangeDirectories(a: string, b: string): boolean {
  const call = RENAMEAT2[process.arch];
  if (process.platform !== 'linux' || call === undefined) return false;
  const run = spawnSync('perl', ['-e', 'my ($n, $x, $y) = @ARGV; exit(syscall($n, -100, $x, -100, $y, 2) == 0 ? 0 : 1)', String(call), a, b], { stdio: 'ignore' });
  return run.status === 0;
}

/**
 * Puts `source` in place of `target` (whole-directory replacement): `source` is moved next to the
 * target (renamed where it is on the same file system, copied otherwise) and exchanged with it
 * atomically, so the target is always either the old or the new output, never missing or mixed.
 */
export function replaceDirectory(source: string, target: string): void {
  const parent = dirname(target);
  const incoming = mkdtempSync(join(parent, `.${basename(target)}.incoming-`));
  try {
    if (statSync(source).dev === statSync(parent).dev) {
      rmSync(incoming, { recursive: true });
      renameSync(source, incoming);
    } else {
      cpSync(source, incoming, { recursive: true });
    }
    // mkdtemp makes private (0700) directories; an output directory is as readable as any other.
    chmodSync(incoming, 0o777 & ~process.umask());
    if (!existsSync(target)) {
      renameSync(incoming, target);
    } else if (!exchangeDirectories(incoming, target)) {
      const outgoing = join(parent, `.${basename(target)}.outgoing-${basename(incoming).split('-').pop()}`);
      renameSync(target, outgoing);
      renameSync(incoming, target);
      rmSync(outgoing, { recursive: true, force: true });
    }
  } finally {
    rmSync(incoming, { recursive: true, force: true }); // after an exchange: the previous output
  }
}

/** The prefix of staging directories in the system's temporary directory; the pid follows. */
export const STAGING_PREFIX = 'virtlab-synth-';

/** Removes staging directories that synths killed before cleaning up left in `directory`. */
export function removeStaleStaging(directory: string): void {
  for (const entry of readdirSync(directory)) {
    const match = new RegExp(`^${STAGING_PREFIX}(\\d+)-`).exec(entry);
    if (match && Number(match[1]) !== process.pid && !processAlive(Number(match[1]))) {
      rmSync(join(directory, entry), { recursive: true, force: true });
    }
  }
}
