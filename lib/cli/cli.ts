import { resolve } from 'node:path';
import yargs, { Argv } from 'yargs';
import { ValidationError, formatIssue } from '../errors';
import { StackDefinition, UsageError, selectStacks, synthesizeStacks, validateStacks } from '../synth/synthesize';
import { labFileStack } from '../labfile/define';
import { describeLab } from './describe';

/** Exit codes: 0 success, 1 invalid input (the errors are on stderr), 2 usage error. */
export const EXIT_OK = 0;
export const EXIT_INVALID = 1;
export const EXIT_USAGE = 2;

interface Io {
  out: (text: string) => void;
  err: (text: string) => void;
}

const defaultIo: Io = {
  out: (text) => process.stdout.write(text),
  err: (text) => process.stderr.write(text),
};

interface SourceOptions {
  readonly app?: string;
  readonly file?: readonly string[];
}

/** The stacks to work on: lab files (--file), a module (--app), or the built-in examples. */
function loadDefinitions(source: SourceOptions): readonly StackDefinition[] {
  if (source.file?.length) {
    const definitions = source.file.map((file) => labFileStack(file));
    const ids = new Map<string, string>();
    for (const [i, d] of definitions.entries()) {
      const other = ids.get(d.id);
      if (other) throw new UsageError(`${source.file[i]} and ${other} both define the stack "${d.id}"`);
      ids.set(d.id, source.file[i]);
    }
    return definitions;
  }
  return loadModule(source.app);
}

/** Loads a module exporting `stacks`: the built-in examples, or the one given with --app. */
function loadModule(app: string | undefined): readonly StackDefinition[] {
  const modulePath = app ? resolve(app) : resolve(__dirname, '../../stacks');
  let loaded: { stacks?: unknown };
  try {
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    loaded = require(modulePath);
  } catch (error) {
    if (app && (error as NodeJS.ErrnoException).code === 'MODULE_NOT_FOUND' && String((error as Error).message).includes(modulePath)) {
      throw new UsageError(`--app ${app}: no such module`);
    }
    throw error;
  }
  if (!Array.isArray(loaded.stacks)) {
    throw new UsageError(`--app ${app}: the module must export \`stacks\`, an array of { id, define(scope, id) }`);
  }
  return loaded.stacks as StackDefinition[];
}

/** Runs the CLI with `argv` (without node and script) and resolves to the exit code. */
export async function run(argv: readonly string[], io: Io = defaultIo): Promise<number> {
  let exitCode = EXIT_OK;
  const guarded = (action: () => void) => {
    try {
      action();
    } catch (error) {
      exitCode = reportError(error, io);
    }
  };
  const withStackOptions = (y: Argv) =>
    y
      .positional('stacks', { type: 'string', array: true, describe: 'Stack ids (default: every stack)' })
      .option('file', { alias: 'f', type: 'string', array: true, describe: 'Lab file (YAML or JSON) defining a stack; repeatable' })
      .option('app', { type: 'string', describe: 'JavaScript module exporting `stacks` (default: the built-in example labs)' })
      .conflicts('file', 'app');

  const parser = yargs([...argv])
    .scriptName('virtlab')
    .usage('$0 <command> [options]\n\nInfrastructure as code for Xen and libvirt lab VMs: synthesizes xl.cfg files, dom0 provisioning and Terraform JSON from TypeScript constructs.')
    .command(
      'synth [stacks..]',
      'Synthesize stacks: Terraform JSON plus each stack\'s xen/ files (xl.cfg, dom0 provisioning)',
      (y) => withStackOptions(y)
        .option('out', { alias: 'o', type: 'string', default: 'cdktf.out', describe: 'Output directory; replaced as a whole, only after every stack validated' })
        .option('quiet', { alias: 'q', type: 'boolean', default: false, describe: 'Print nothing on success' })
        .example('$0 synth', 'Synthesize every stack into cdktf.out/')
        .example('$0 synth xen-lab --out /tmp/lab', 'Synthesize one stack elsewhere')
        .example('$0 synth --file lab.yaml', 'Synthesize the stack a lab file describes'),
      (args) => guarded(() => {
        const definitions = selectStacks(loadDefinitions(args), args.stacks);
        const result = synthesizeStacks(definitions, args.out);
        if (!args.quiet) {
          io.out(`Synthesized ${definitions.map((d) => d.id).join(', ')} into ${result.outdir} (${result.files.length} files)\n`);
          for (const file of result.files) io.out(`  ${file}\n`);
        }
      }),
    )
    .command(
      'list [stacks..]',
      'List stacks with their VMs, networks and volumes',
      (y) => withStackOptions(y).option('json', { type: 'boolean', default: false, describe: 'Print the lab models as JSON' }),
      (args) => guarded(() => {
        const stacks = validateStacks(selectStacks(loadDefinitions(args), args.stacks));
        if (args.json) {
          io.out(`${JSON.stringify(stacks.map((s) => s.toModel()), null, 2)}\n`);
        } else {
          io.out(stacks.map((s) => describeLab(s.toModel(), s.description)).join('\n'));
        }
      }),
    )
    .command(
      'validate [stacks..]',
      'Check every rule without writing anything',
      (y) => withStackOptions(y),
      (args) => guarded(() => {
        const stacks = validateStacks(selectStacks(loadDefinitions(args), args.stacks));
        io.out(`${stacks.map((s) => s.node.id).join(', ')}: valid\n`);
      }),
    )
    .demandCommand(1, 'Name a command: synth, list or validate')
    .strict()
    .help()
    .alias('help', 'h')
    .version()
    .wrap(Math.min(100, process.stdout.columns ?? 100))
    .exitProcess(false)
    .fail((message, error) => {
      if (error) throw error;
      throw new UsageError(message);
    })
    .showHelpOnFail(false);

  try {
    await parser.parseAsync();
  } catch (error) {
    return reportError(error, io);
  }
  return exitCode;
}

function reportError(error: unknown, io: Io): number {
  if (error instanceof ValidationError) {
    io.err(`virtlab: invalid input, nothing was written:\n${error.issues.map((i) => `  ${formatIssue(i)}\n`).join('')}`);
    return EXIT_INVALID;
  }
  if (error instanceof UsageError) {
    io.err(`virtlab: ${error.message}\nRun 'virtlab --help' for usage.\n`);
    return EXIT_USAGE;
  }
  io.err(`virtlab: ${error instanceof Error ? error.stack ?? error.message : String(error)}\n`);
  return EXIT_INVALID;
}

export function main(): void {
  run(process.argv.slice(2)).then((code) => {
    process.exitCode = code;
  });
}
