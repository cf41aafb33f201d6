/** `wasm-perf check`: analyse, optionally fix, report, and turn the outcome into an exit code. */
import { stat } from 'node:fs/promises';
import type { AnalysisResult } from '../core/engine';
import type { Host } from '../core/host';
import type { FilePath, Notice } from '../core/model';
import { buildJsonReport, type ReportInput } from '../core/report/json';
import { displayPath } from '../core/report/locate';
import { buildSarifLog } from '../core/report/sarif';
import { countCheckedFiles } from '../core/report/summary';
import { formatNoticeText, formatTextReport } from '../core/report/text';
import { printable } from '../core/report/display';
import { RULES } from '../core/rules';
import { toEnginePath, toOsPath } from '../node/node-host';
import { createCliAnalyzer } from './analyzer';
import { enginePath } from './engine-path';
import { unreadFileError, UsageError } from './args';
import { classify } from '../core/workspace/discover';
import { basename } from '../core/text/paths';
import { parseCheckOptions, type CheckOptions } from './check-options';
import { fixUntilStable, MAX_FIX_ROUNDS, type FailedWrite, type WrittenFile } from './fix-files';
import { EXIT_ERROR, EXIT_FINDINGS, EXIT_OK, hasBlockingFindings } from './exit-codes';
import type { CliIo } from './io';
import { createProgress } from './progress';
import { TOOL } from './version';

export { EXIT_ERROR, EXIT_FINDINGS, EXIT_OK } from './exit-codes';

interface CheckOutcome {
  readonly result: AnalysisResult;
  readonly written: readonly WrittenFile[];
  readonly failed: readonly FailedWrite[];
  readonly unsettled: boolean;
}

/** `host` defaults to the real file system; tests pass one that fails in ways root cannot provoke. */
export async function runCheckCommand(args: readonly string[], io: CliIo, host?: Host): Promise<number> {
  const options = parseCheckOptions(args);
  const roots = await existingRoots(options.paths, io.cwd);
  const cwd = toEnginePath(io.cwd);
  const analyzer = createCliAnalyzer(options.settings, host);
  const progress = createProgress(io, !options.quiet);
  let outcome: CheckOutcome;
  try {
    outcome = options.fix
      ? await fixUntilStable(analyzer, roots, { onProgress: progress.update, policy: { unsafe: options.unsafeFixes } })
      : { result: await analyzer.analyze(roots, { onProgress: progress.update }), written: [], failed: [], unsettled: false };
  } finally {
    progress.done();
  }
  const { result } = outcome;

  reportFixes(outcome, options, io, cwd);
  reportNotices(result.notices, options, io, cwd);
  const input: ReportInput = {
    tool: TOOL,
    cwd,
    roots,
    findings: result.findings,
    notices: result.notices,
    sources: result.sources,
    rules: RULES.map((rule) => rule.meta),
    ruleSettings: options.settings.rules,
    filesChecked: countCheckedFiles(result.model.files, result.model.binaries.unread),
    fixed: outcome.written,
  };
  io.stdout(render(input, options, io.color));
  return exitCode(outcome, options);
}

function render(input: ReportInput, options: CheckOptions, color: boolean): string {
  switch (options.format) {
    case 'json':
      return `${JSON.stringify(buildJsonReport(input), null, 2)}\n`;
    case 'sarif':
      return `${JSON.stringify(buildSarifLog(input), null, 2)}\n`;
    case 'text':
      return formatTextReport(input.findings, input.sources, {
        cwd: input.cwd,
        color,
        quiet: options.quiet,
        filesChecked: input.filesChecked,
      });
  }
}

/** What `--fix` wrote goes to stdout in text mode and to stderr when stdout carries a document. */
function reportFixes(outcome: CheckOutcome, options: CheckOptions, io: CliIo, cwd: FilePath): void {
  const print = options.format === 'text' ? io.stdout : io.stderr;
  if (!options.quiet) {
    for (const file of outcome.written) {
      print(`${file.created ? 'created' : 'fixed'} ${printable(displayPath(file.file, cwd))}: ${file.fixes.map(printable).join('; ')}\n`);
    }
    if (outcome.written.length > 0 && options.format === 'text') print('\n');
  }
  for (const failure of outcome.failed) {
    io.stderr(
      `wasm-perf: error: could not fix ${printable(displayPath(failure.file, cwd))}: ${printable(failure.message)} (file left unchanged)\n`,
    );
  }
  if (outcome.unsettled) {
    io.stderr(`wasm-perf: warning: fixes were still changing files after ${MAX_FIX_ROUNDS} rounds; run 'wasm-perf check --fix' again\n`);
  }
}

function reportNotices(notices: readonly Notice[], options: CheckOptions, io: CliIo, cwd: FilePath): void {
  for (const notice of notices) {
    if (options.quiet && notice.kind !== 'internal') continue;
    io.stderr(formatNoticeText(notice, cwd));
  }
}

function exitCode(outcome: CheckOutcome, options: CheckOptions): number {
  if (outcome.failed.length > 0 || outcome.result.notices.some((notice) => notice.kind === 'internal')) return EXIT_ERROR;
  if (options.exitZero) return EXIT_OK;
  return hasBlockingFindings(outcome.result.findings) ? EXIT_FINDINGS : EXIT_OK;
}

/** The roots to analyse; a path that does not exist is a usage error, not an empty result. */
async function existingRoots(paths: readonly string[], cwd: string): Promise<FilePath[]> {
  const roots: FilePath[] = [];
  for (const path of paths) {
    const root = enginePath(cwd, path);
    try {
      const info = await stat(toOsPath(root));
      if (info.isFile() && !classify(root, basename(root))) {
        throw unreadFileError(path, 'check', 'a .wasm binary, a Cargo manifest, host code, a build script or a directory');
      }
    } catch (error) {
      if (error instanceof UsageError) throw error;
      const code = (error as NodeJS.ErrnoException).code;
      if (code === 'ENOENT' || code === 'ENOTDIR') throw new UsageError(`no such file or directory: ${path}`, 'check');
      // Unreadable roots are reported by the engine as notices; the rest still gets analysed.
    }
    roots.push(root);
  }
  return roots;
}
