import { resolve } from 'node:path';
import yargs, { Argv } from 'yargs';
import { UsageError, ValidationError, formatIssue, isValidationError } from '../errors';
import type { StackDefinition } from '../synth/synthesize';

// Each command loads only what it needs: cdktf, the lab-file parser or the plan's diff engine
// cost more start-up time than the example lab takes to synthesize.
/* eslint-disable @typescript-eslint/no-require-imports */
const synthesis = () => require('../synth/synthesize') as typeof import('../synth/synthesize');
const labFiles = () => require('../labfile/define') as typeof import('../labfile/define');
const plans = () => require('./plan-command') as typeof import('./plan-command');
const scaffolding = () => require('./init-command') as typeof import('./init-command');
const describing = () => require('./describe') as typeof import('./describe');
/* eslint-enable @typescript-eslint/no-require-imports */

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
    const definitions = source.file.map((file) => labFiles().labFileStack(file));
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
      exitCode = reportError(error, io, argv);
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
        if (args.out.trim() === '') throw new UsageError('--out needs a directory');
        const definitions = synthesis().selectStacks(loadDefinitions(args), args.stacks);
        const result = synthesis().synthesizeStacks(definitions, args.out);
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
        const stacks = synthesis().validateStacks(synthesis().selectStacks(loadDefinitions(args), args.stacks));
        if (args.json) {
          io.out(`${JSON.stringify(stacks.map((s) => s.toModel()), null, 2)}\n`);
        } else {
          io.out(stacks.map((s) => describing().describeLab(s.toModel(), s.description)).join('\n'));
        }
      }),
    )
    .command(
      'validate [stacks..]',
      'Check every rule without writing anything',
      (y) => withStackOptions(y),
      (args) => guarded(() => {
        const stacks = synthesis().validateStacks(synthesis().selectStacks(loadDefinitions(args), args.stacks));
        io.out(`${stacks.map((s) => s.node.id).join(', ')}: valid\n`);
      }),
    )
    .command(
      'plan [stacks..]',
      'Show what a change does: Terraform resources to add, change, replace or destroy, and Xen file diffs, against a baseline',
      (y) => withStackOptions(y)
        .option('against', { type: 'string', describe: 'Baseline: a previous synth output directory (default cdktf.out when it exists)' })
        .option('base', { type: 'string', describe: 'Baseline: a git revision, synthesized in a temporary worktree' })
        .option('allow-data-loss', { type: 'boolean', default: false, describe: 'Accept changes that lose data: volumes or pools replaced or destroyed, a guest losing a disk (otherwise such a plan fails)' })
        .option('detailed-exitcode', { type: 'boolean', default: false, describe: 'Exit 0 with no changes, 2 with changes, 1 on errors' })
        .option('json', { type: 'boolean', describe: 'Print the plan as JSON' })
        .option('markdown', { type: 'boolean', describe: 'Print the plan as Markdown (for a pull-request comment)' })
        .option('terraform', { type: 'boolean', default: false, describe: 'Also run terraform init and terraform plan in each stack directory' })
        .conflicts('against', 'base')
        .conflicts('json', 'markdown')
        .example('$0 plan --against cdktf.out', 'Compare with the last synth')
        .example('$0 plan --base origin/main --markdown', 'What a branch changes, for a pull request'),
      (args) => guarded(() => {
        const definitions = synthesis().selectStacks(loadDefinitions(args), args.stacks);
        const outcome = plans().runPlan(definitions, {
          app: args.app, file: args.file, against: args.against, base: args.base,
          format: args.json ? 'json' : args.markdown ? 'markdown' : 'text',
          allowDataLoss: args['allow-data-loss'], detailedExitcode: args['detailed-exitcode'], terraform: args.terraform,
          // Named stacks, or lab files against an output that may hold other stacks: plan those only.
          onlySelected: (args.stacks?.length ?? 0) > 0 || Boolean(args.file?.length && !args.base),
        }, io);
        exitCode = outcome.exitCode;
      }),
    )
    .command(
      'init [dir]',
      'Create a new lab project (a lab file or a TypeScript stack) that synthesizes and tests out of the box',
      (y) => y
        .positional('dir', { type: 'string', default: '.', describe: 'Directory to create (must be empty or absent)' })
        .option('template', { alias: 't', choices: ['yaml', 'typescript'] as const, default: 'yaml' as const, describe: 'Lab file or TypeScript project' })
        .option('name', { type: 'string', describe: 'Stack id (default: the directory name)' })
        .example('$0 init my-lab', 'A lab file project in my-lab/')
        .example('$0 init my-lab --template typescript', 'A TypeScript project'),
      (args) => guarded(() => {
        const files = scaffolding().initProject(args.dir, args.template, args.name);
        io.out(`Created ${args.template} lab project in ${args.dir}:
${files.map((f) => `  ${f}
`).join('')}Next: cd ${args.dir} && npm install && npm test && npm run synth
`);
      }),
    )
    .demandCommand(1, 'Name a command: init, synth, plan, list or validate')
    .epilogue('Exit codes: 0 success; 1 invalid input (every error names where, the field, the value and the rule; nothing is written); 2 usage error. plan --detailed-exitcode: 0 no changes, 2 changes, 1 any error.')
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
    exitCode = reportError(error, io, argv);
  }
  return exitCode;
}

function reportError(error: unknown, io: Io, argv: readonly string[]): number {
  const code = describeError(error, io);
  // With --detailed-exitcode, 2 means "changes": every error, usage errors included, is 1.
  return code === EXIT_USAGE && argv.includes('--detailed-exitcode') ? EXIT_INVALID : code;
}

function describeError(error: unknown, io: Io): number {
  // Two constructs with one id in one scope: cdktf's own check, reported like every other rule.
  const duplicate = error instanceof Error && /There is already a Construct with name '([^']*)' in (\S+)(?: \[([^\]]*)\])?/.exec(error.message);
  if (duplicate) {
    error = new ValidationError([{ path: duplicate[3] || duplicate[2], field: 'id', value: duplicate[1], rule: 'construct ids must be unique within their scope' }]);
  }
  if (isValidationError(error)) {
    io.err(`virtlab: invalid input, nothing was written:\n${error.issues.map((i) => `  ${formatIssue(i)}\n`).join('')}`);
    return EXIT_INVALID;
  }
  if (error instanceof Error && error.name === 'OutputBusyError') {
    io.err(`virtlab: ${error.message}\n`);
    return EXIT_INVALID;
  }
  if (error instanceof UsageError) {
    io.err(`virtlab: ${error.message}\nRun 'virtlab --help' for usage.\n`);
    return EXIT_USAGE;
  }
  const detail = error instanceof Error ? (process.env.VIRTLAB_DEBUG ? error.stack ?? error.message : error.message) : String(error);
  io.err(`virtlab: ${detail}\n${process.env.VIRTLAB_DEBUG ? '' : '(set VIRTLAB_DEBUG=1 for a stack trace)\n'}`);
  return EXIT_INVALID;
}

export function main(): void {
  run(process.argv.slice(2)).then((code) => {
    process.exitCode = code;
  });
}
