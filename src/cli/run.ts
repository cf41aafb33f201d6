/** Dispatches `wasm-perf COMMAND …` and maps every failure to a message and exit code 2. */
import { describeError } from '../core/host';
import { UsageError } from './args';
import { EXIT_ERROR } from './exit-codes';
import { COMMAND_HELP, MAIN_HELP } from './help';
import type { CliIo } from './io';
import { TOOL } from './version';

type Command = (args: readonly string[], io: CliIo) => number | Promise<number>;

/**
 * Each command is imported when it runs: `--version` or `rules` never initialise the engine,
 * and `inspect` never loads the benchmark harness (the bundle keeps them lazy).
 */
const COMMANDS: Readonly<Record<string, Command>> = {
  check: async (args, io) => (await import('./check-command')).runCheckCommand(args, io),
  inspect: async (args, io) => (await import('./inspect-command')).runInspectCommand(args, io),
  rules: async (args, io) => (await import('./rules-command')).runRulesCommand(args, io),
  explain: async (args, io) => (await import('./rules-command')).runExplainCommand(args, io),
  bench: async (args, io) => (await import('./bench-command')).runBenchCommand(args, io),
};

const isHelp = (arg: string) => arg === '--help' || arg === '-h';

export async function runCli(argv: readonly string[], io: CliIo): Promise<number> {
  try {
    return await dispatch(argv, io);
  } catch (error) {
    if (error instanceof UsageError) {
      const hint = error.command ? `wasm-perf ${error.command} --help` : 'wasm-perf --help';
      io.stderr(`wasm-perf: error: ${error.message}\n(run '${hint}' for usage)\n`);
    } else {
      io.stderr(`wasm-perf: error: ${describeError(error)}\n`);
    }
    return EXIT_ERROR;
  }
}

async function dispatch(argv: readonly string[], io: CliIo): Promise<number> {
  const [name, ...rest] = argv;
  if (name === undefined || isHelp(name)) {
    (name === undefined ? io.stderr : io.stdout)(MAIN_HELP);
    return name === undefined ? EXIT_ERROR : 0;
  }
  if (name === '--version' || name === '-V') {
    io.stdout(`${TOOL.name} ${TOOL.version}\n`);
    return 0;
  }
  const command = COMMANDS[name];
  if (!command) {
    throw new UsageError(
      name.startsWith('-') ? `unknown option '${name}'` : `unknown command '${name}' (commands: ${Object.keys(COMMANDS).join(', ')})`,
    );
  }
  // The bench command has its own help; the others share the table above.
  const help = COMMAND_HELP[name];
  if (help !== undefined && rest.some(isHelp)) {
    io.stdout(help);
    return 0;
  }
  return command(rest, io);
}
