/**
 * Test support: parse xl.cfg files with the real Xen 4.17 toolstack.
 *
 * Runs tools/xl-dryrun/xl-dryrun (`xl -N create`, dry run, with a preloaded
 * stub standing in for the hypervisor) and returns libxl's view of each domain.
 * Tests that use it should be wrapped in `describeIfXl`, which skips them on a
 * developer machine without the toolstack but FAILS them under CI.
 */
import { spawnSync } from 'child_process';
import * as fs from 'fs';
import * as path from 'path';

/**
 * The parts of libxl's domain configuration JSON (libxl_domain_config) that
 * virtlab's tests look at. libxl omits every field left at its default: e.g.
 * `on_poweroff`/`on_reboot`/`on_crash` are absent when "destroy", a disk
 * without `readwrite` is read-only, and `is_cdrom` is absent for plain disks.
 * libxl's booleans are the strings "True"/"False" (not JSON booleans).
 */
export interface XlParsedDomain {
  c_info: {
    type: 'pv' | 'pvh' | 'hvm';
    name: string;
  };
  b_info: {
    max_vcpus: number;
    max_memkb: number;
    target_memkb: number;
    kernel?: string;
    ramdisk?: string;
    /** xl.cfg's `extra` (or `cmdline`). */
    cmdline?: string;
    bootloader?: string;
    'type.hvm'?: {
      boot?: string;
    };
  };
  disks?: Array<{
    pdev_path: string;
    vdev: string;
    format?: string;
    /** 1 when writable; absent means read-only. */
    readwrite?: number;
    is_cdrom?: number;
  }>;
  nics?: Array<{
    devid: number;
    mac?: string;
    bridge?: string;
    ip?: string;
    script?: string;
    gatewaydev?: string;
  }>;
  /** Absent when "destroy" (the default). */
  on_poweroff?: string;
  on_reboot?: string;
  on_crash?: string;
}

/** Repository root: this file lives in <root>/__tests__/support/. */
const REPO_ROOT = path.resolve(__dirname, '..', '..');
const XL_DRYRUN = path.join(REPO_ROOT, 'tools', 'xl-dryrun', 'xl-dryrun');
const XL_BINARY = process.env.XL_DRYRUN_XL || '/usr/lib/xen-4.17/bin/xl';
const LIBXL_HEADER = '/usr/include/libxl.h';
const INSTALL_HINT =
  'install the Debian packages xen-utils-4.17 libxen-dev and gcc (tools/install-xen-toolstack.sh)';

/** Exit statuses of tools/xl-dryrun/xl-dryrun. */
const EXIT_ALL_PARSED = 0;
const EXIT_REJECTED = 1;

function isExecutable(file: string): boolean {
  try {
    fs.accessSync(file, fs.constants.X_OK);
    return fs.statSync(file).isFile();
  } catch {
    return false;
  }
}

function onPath(command: string): boolean {
  return (process.env.PATH ?? '')
    .split(path.delimiter)
    .filter((dir) => dir !== '')
    .some((dir) => isExecutable(path.join(dir, command)));
}

/**
 * Whether the xl dry-run harness can run here: the xl binary, libxl's header
 * (to build the stub) and gcc. Synchronous and cheap; runs nothing.
 */
export function xlDryrunAvailability(): { available: true } | { available: false; reason: string } {
  const missing: string[] = [];
  if (!isExecutable(XL_BINARY)) missing.push(`xl binary ${XL_BINARY}`);
  if (!fs.existsSync(LIBXL_HEADER)) missing.push(`libxl header ${LIBXL_HEADER}`);
  if (!onPath('gcc')) missing.push('gcc');
  if (!fs.existsSync(XL_DRYRUN)) missing.push(`harness script ${XL_DRYRUN}`);
  if (missing.length === 0) return { available: true };
  return {
    available: false,
    reason: `Xen 4.17 toolstack for xl dry-run is not available (missing: ${missing.join(', ')}); ${INSTALL_HINT}`,
  };
}

interface DryrunResult {
  status: number | null;
  signal: NodeJS.Signals | null;
  stdout: string;
  stderr: string;
}

function runDryrun(files: string[]): DryrunResult {
  const result = spawnSync('bash', [XL_DRYRUN, ...files], {
    cwd: REPO_ROOT,
    encoding: 'utf8',
    maxBuffer: 256 * 1024 * 1024,
    timeout: 5 * 60 * 1000,
  });
  if (result.error) {
    throw new Error(`could not run ${XL_DRYRUN}: ${result.error.message}`);
  }
  return { status: result.status, signal: result.signal, stdout: result.stdout, stderr: result.stderr };
}

/**
 * Splits xl-dryrun's stdout into its JSON documents. xl pretty-prints each
 * one starting with a `{` line and ending with a `}` line, both at column 0;
 * everything nested is indented, so those lines delimit documents exactly.
 */
function splitDocuments(stdout: string): string[] {
  const documents: string[] = [];
  let current: string[] | null = null;
  for (const line of stdout.split('\n')) {
    if (current === null) {
      if (line.startsWith('{')) {
        current = [line];
        if (line.trimEnd().endsWith('}') && isCompleteJson(line)) {
          documents.push(line);
          current = null;
        }
      } else if (line.trim() !== '') {
        throw new Error(`unexpected output from xl-dryrun outside a JSON document: ${JSON.stringify(line)}`);
      }
    } else {
      current.push(line);
      if (line.startsWith('}')) {
        documents.push(current.join('\n'));
        current = null;
      }
    }
  }
  if (current !== null) {
    throw new Error(`truncated JSON document in xl-dryrun output:\n${current.join('\n')}`);
  }
  return documents;
}

function isCompleteJson(text: string): boolean {
  try {
    JSON.parse(text);
    return true;
  } catch {
    return false;
  }
}

/** Lines the harness itself adds after a rejected file (not xl's own words). */
const REJECTED_LINE = /^xl-dryrun: (.*): rejected by xl \(exit status \d+\)$/;

function rejectedFiles(stderr: string): string[] {
  return stderr
    .split('\n')
    .map((line) => REJECTED_LINE.exec(line))
    .filter((m): m is RegExpExecArray => m !== null)
    .map((m) => m[1] ?? '');
}

/**
 * Parses every file with `xl -N create` (a single xl-dryrun run for all of
 * them) and returns libxl's configuration for each, in the order given.
 * Throws, with the file name(s) and xl's stderr, if xl rejects any file or if
 * the toolstack cannot be used.
 */
export function parseWithXl(files: string[]): XlParsedDomain[] {
  if (files.length === 0) return [];
  const run = runDryrun(files);
  if (run.status === EXIT_REJECTED) {
    const rejected = rejectedFiles(run.stderr);
    const which = rejected.length > 0 ? rejected.join(', ') : files.join(', ');
    throw new Error(`xl rejected ${which}:\n${run.stderr.trim()}`);
  }
  if (run.status !== EXIT_ALL_PARSED) {
    const how = run.signal !== null ? `signal ${run.signal}` : `exit status ${run.status}`;
    throw new Error(`xl-dryrun failed (${how}) for ${files.join(', ')}:\n${run.stderr.trim()}`);
  }
  const documents = splitDocuments(run.stdout);
  if (documents.length !== files.length) {
    throw new Error(
      `xl-dryrun printed ${documents.length} JSON document(s) for ${files.length} file(s) (${files.join(', ')}):\n` +
        run.stderr.trim(),
    );
  }
  return documents.map((text, i) => {
    try {
      return JSON.parse(text) as XlParsedDomain;
    } catch (e) {
      throw new Error(`invalid JSON from xl for ${files[i]}: ${(e as Error).message}\n${text}`);
    }
  });
}

/**
 * xl's error output if it rejects `file`, or null if it accepts it. Throws if
 * the toolstack itself cannot be used (so a missing xl never looks like
 * "rejected").
 */
export function rejectedByXl(file: string): string | null {
  const run = runDryrun([file]);
  if (run.status === EXIT_ALL_PARSED) return null;
  if (run.status === EXIT_REJECTED) {
    const xlMessage = run.stderr
      .split('\n')
      .filter((line) => !REJECTED_LINE.test(line))
      .join('\n')
      .trim();
    return xlMessage !== '' ? xlMessage : run.stderr.trim();
  }
  const how = run.signal !== null ? `signal ${run.signal}` : `exit status ${run.status}`;
  throw new Error(`xl-dryrun failed (${how}) for ${file}:\n${run.stderr.trim()}`);
}

/** True when running under CI (CI set to anything but "", "0" or "false"). */
function inCi(): boolean {
  const ci = process.env.CI;
  return ci !== undefined && ci !== '' && ci !== '0' && ci.toLowerCase() !== 'false';
}

let skipReasonPrinted = false;

/**
 * `describe` for tests that need the real xl. Without the toolstack the block
 * is skipped (reason printed once) -- except under CI, where it becomes a
 * single failing test: CI must prove that xl accepts the files.
 */
export function describeIfXl(name: string, fn: () => void): void {
  const availability = xlDryrunAvailability();
  if (availability.available) {
    describe(name, fn);
    return;
  }
  const { reason } = availability;
  if (inCi()) {
    describe(name, () => {
      test('Xen toolstack is available for xl dry-run (required in CI)', () => {
        throw new Error(reason);
      });
    });
    return;
  }
  if (!skipReasonPrinted) {
    skipReasonPrinted = true;
    console.warn(`skipping xl toolstack tests: ${reason}`);
  }
  describe.skip(name, fn);
}
