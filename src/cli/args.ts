/** Command-line parsing shared by the commands: node's `util.parseArgs` with our usage errors. */
import { parseArgs, type ParseArgsConfig } from 'node:util';

/** Bad command-line input: printed as `wasm-perf: error: …` with exit code 2. */
export class UsageError extends Error {
  constructor(
    message: string,
    /** The command whose `--help` the error points to. */
    readonly command?: string,
  ) {
    super(message);
    this.name = 'UsageError';
  }
}

/**
 * A file the command does not read. `check` and `inspect` give it the same shaped message and
 * exit code, rather than one reporting "0 files" and the other decoding text as a binary.
 */
export function unreadFileError(given: string, command: 'check' | 'inspect', expected: string): UsageError {
  return new UsageError(`not a file ${command} reads: ${given} (expected ${expected})`, command);
}

export type OptionSpecs = NonNullable<ParseArgsConfig['options']>;

export interface ParsedArgs {
  readonly positionals: readonly string[];
  readonly values: Readonly<Record<string, string | boolean | (string | boolean)[] | undefined>>;
}

/** Strict parsing: unknown options and missing values are usage errors naming the option. */
export function parseCommandArgs(command: string, args: readonly string[], options: OptionSpecs): ParsedArgs {
  try {
    const parsed = parseArgs({ args: [...args], options, strict: true, allowPositionals: true });
    return { positionals: parsed.positionals, values: parsed.values };
  } catch (error) {
    throw new UsageError(describeParseError(error), command);
  }
}

function describeParseError(error: unknown): string {
  const code = (error as { code?: string }).code;
  const message = error instanceof Error ? error.message : String(error);
  const option = /'(-[^' ]*)/.exec(message)?.[1];
  if (code === 'ERR_PARSE_ARGS_UNKNOWN_OPTION' && option) return `unknown option '${option}'`;
  if (code === 'ERR_PARSE_ARGS_INVALID_OPTION_VALUE' && option) {
    return message.includes('argument missing') ? `option '${option}' needs a value` : `option '${option}' does not take a value`;
  }
  return message;
}

export function stringValues(parsed: ParsedArgs, name: string): string[] {
  const value = parsed.values[name];
  if (value === undefined) return [];
  return (Array.isArray(value) ? value : [value]).filter((v): v is string => typeof v === 'string');
}

/** The last value given for a single-valued option. */
export function lastValue(parsed: ParsedArgs, name: string): string | undefined {
  return stringValues(parsed, name).at(-1);
}

export function flag(parsed: ParsedArgs, name: string): boolean {
  return parsed.values[name] === true;
}
