/** `wasm-perf inspect FILE.wasm [--json]`: what is inside one binary, plus its findings. */
import { readFile, stat } from 'node:fs/promises';
import { AreaAnalyzer } from '../core/analyzer';
import { BINARY_RULES } from '../core/rules/binary';
import { buildJsonReport } from '../core/report/json';
import { jsonPieces } from '../core/report/json-stream';
import { displayPath } from '../core/report/locate';
import { countCheckedFiles } from '../core/report/summary';
import { formatFindingText, formatNoticeText } from '../core/report/text';
import { formatWasmReportText, wasmReportToJson } from '../core/report/wasm';
import { inspectWasm } from '../core/wasm/inspect';
import type { WasmReport } from '../core/wasm/model';
import { createNodeHost, plainBytes, toEnginePath, toOsPath } from '../node/node-host';
import { enginePath } from './engine-path';
import { flag, parseCommandArgs, unreadFileError, UsageError } from './args';
import { EXIT_ERROR, EXIT_FINDINGS, EXIT_OK, hasBlockingFindings } from './exit-codes';
import type { CliIo } from './io';
import { TOOL } from './version';

export async function runInspectCommand(args: readonly string[], io: CliIo): Promise<number> {
  const parsed = parseCommandArgs('inspect', args, { json: { type: 'boolean' } });
  if (parsed.positionals.length !== 1) throw new UsageError('inspect expects exactly one .wasm file', 'inspect');
  const given = parsed.positionals[0]!;
  const file = enginePath(io.cwd, given);
  const info = await stat(toOsPath(file)).catch(() => undefined);
  if (!info) throw new UsageError(`no such file: ${given}`, 'inspect');
  if (!info.isFile()) throw new UsageError(`not a file: ${given}`, 'inspect');
  if (!file.endsWith('.wasm')) throw unreadFileError(given, 'inspect', 'a .wasm binary');

  // The binaries' area and rules only: this command's bundle then carries no Cargo or host-code analysis.
  const analyzer = new AreaAnalyzer(createNodeHost(), { maxBinaryBytes: Math.max(info.size, 1) }, { dir: __dirname }, BINARY_RULES, {});
  const result = await analyzer.analyze([file]);
  // The engine's binary loader already decoded the file; decode here only if it did not.
  const loaded = result.model.binaries.files.find((binary) => binary.path === file)?.report;
  const report: WasmReport = loaded ?? inspectWasm(plainBytes(await readFile(toOsPath(file))));
  const cwd = toEnginePath(io.cwd);

  if (flag(parsed, 'json')) {
    const findingsReport = buildJsonReport({
      tool: TOOL,
      cwd,
      roots: [file],
      findings: result.findings,
      notices: result.notices,
      sources: result.sources,
      rules: BINARY_RULES.map((rule) => rule.meta),
      ruleSettings: {},
      filesChecked: countCheckedFiles(result.model.files, result.model.binaries.unread),
    });
    const document = {
      schemaVersion: findingsReport.schemaVersion,
      tool: TOOL,
      file: displayPath(file, cwd),
      wasm: wasmReportToJson(report),
      findings: findingsReport.findings,
      notices: findingsReport.notices,
    };
    for (const piece of jsonPieces(document)) {
      io.stdout(piece);
      await io.stdoutDrained?.();
    }
    io.stdout('\n');
  } else {
    const findings = result.findings.map((finding) => formatFindingText(finding, result.sources, { cwd, color: io.color }));
    io.stdout(
      `${formatWasmReportText(report, displayPath(file, cwd))}\nFindings: ${findings.length === 0 ? 'none' : `${findings.length}\n\n${findings.join('\n')}`}\n`,
    );
    for (const notice of result.notices) io.stderr(formatNoticeText(notice, cwd));
  }
  if (result.notices.some((notice) => notice.kind === 'internal')) return EXIT_ERROR;
  return hasBlockingFindings(result.findings) ? EXIT_FINDINGS : EXIT_OK;
}
