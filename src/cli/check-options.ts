/** `wasm-perf check` flags → settings. Every invalid value is a usage error naming the flag. */
import type { SeveritySetting } from '../core/model';
import { ruleById } from '../core/rules';
import type { AnalyzerSettings } from '../core/settings';
import { globError } from '../core/text/glob';
import { flag, lastValue, parseCommandArgs, stringValues, UsageError, type OptionSpecs } from './args';

export const REPORT_FORMATS = ['text', 'json', 'sarif'] as const;
export type ReportFormat = (typeof REPORT_FORMATS)[number];

export interface CheckOptions {
  readonly paths: readonly string[];
  readonly format: ReportFormat;
  readonly fix: boolean;
  /** `--fix` also applies unsafe fixes. */
  readonly unsafeFixes: boolean;
  readonly exitZero: boolean;
  readonly quiet: boolean;
  readonly settings: Partial<AnalyzerSettings> & { readonly rules: Readonly<Record<string, SeveritySetting>> };
}

const CHECK_OPTIONS: OptionSpecs = {
  format: { type: 'string' },
  fix: { type: 'boolean' },
  'unsafe-fixes': { type: 'boolean' },
  rule: { type: 'string', multiple: true },
  exclude: { type: 'string', multiple: true },
  'no-binaries': { type: 'boolean' },
  'include-tests': { type: 'boolean' },
  'max-binary-size': { type: 'string' },
  'exit-zero': { type: 'boolean' },
  quiet: { type: 'boolean', short: 'q' },
};

const SEVERITY_SETTINGS: readonly SeveritySetting[] = ['off', 'info', 'warning', 'error'];

export function parseCheckOptions(args: readonly string[]): CheckOptions {
  const parsed = parseCommandArgs('check', args, CHECK_OPTIONS);
  const format = lastValue(parsed, 'format') ?? 'text';
  if (!(REPORT_FORMATS as readonly string[]).includes(format)) {
    throw new UsageError(`--format must be one of ${REPORT_FORMATS.join(', ')} (got '${format}')`, 'check');
  }
  const rules: Record<string, SeveritySetting> = {};
  for (const value of stringValues(parsed, 'rule')) {
    const [id, level] = parseRuleSetting(value);
    rules[id] = level;
  }
  const maxBinarySize = lastValue(parsed, 'max-binary-size');
  if (flag(parsed, 'unsafe-fixes') && !flag(parsed, 'fix'))
    throw new UsageError('--unsafe-fixes only changes what --fix applies; add --fix', 'check');
  return {
    paths: parsed.positionals.length > 0 ? parsed.positionals : ['.'],
    format: format as ReportFormat,
    fix: flag(parsed, 'fix'),
    unsafeFixes: flag(parsed, 'unsafe-fixes'),
    exitZero: flag(parsed, 'exit-zero'),
    quiet: flag(parsed, 'quiet'),
    settings: {
      rules,
      exclude: stringValues(parsed, 'exclude').map(validGlob),
      analyzeBinaries: !flag(parsed, 'no-binaries'),
      includeTests: flag(parsed, 'include-tests'),
      ...(maxBinarySize !== undefined ? { maxBinaryBytes: parseByteSize(maxBinarySize) } : {}),
    },
  };
}

function validGlob(glob: string): string {
  const problem = globError(glob);
  if (problem) throw new UsageError(`--exclude '${glob}' is not a valid glob: ${problem}`, 'check');
  return glob;
}

function parseRuleSetting(value: string): [string, SeveritySetting] {
  const match = /^([^=\s]+)=(.*)$/.exec(value);
  if (!match) throw new UsageError(`--rule expects ID=off|info|warning|error (got '${value}')`, 'check');
  const [, id, level] = match as unknown as [string, string, string];
  if (!ruleById(id)) throw new UsageError(`unknown rule '${id}' (run 'wasm-perf rules' to list them)`, 'check');
  if (!(SEVERITY_SETTINGS as readonly string[]).includes(level)) {
    throw new UsageError(`--rule ${id}: severity must be one of ${SEVERITY_SETTINGS.join(', ')} (got '${level}')`, 'check');
  }
  return [id, level as SeveritySetting];
}

const UNITS: Record<string, number> = { '': 1, k: 1024, m: 1024 ** 2, g: 1024 ** 3 };

/** Bytes, optionally with a binary suffix: `1048576`, `512k`, `64M`, `1GiB`. */
export function parseByteSize(value: string): number {
  const match = /^(\d+)\s*(?:([kmg])(?:i?b)?|b)?$/i.exec(value.trim());
  const bytes = match ? Number(match[1]) * UNITS[(match[2] ?? '').toLowerCase()]! : NaN;
  if (!Number.isSafeInteger(bytes))
    throw new UsageError(`--max-binary-size expects a byte count such as 1048576 or 64M (got '${value}')`, 'check');
  return bytes;
}
