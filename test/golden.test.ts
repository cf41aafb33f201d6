/**
 * Golden fixture workspaces: `test/fixtures/golden/<case>/` holds
 *   workspace/       the input files (never written),
 *   expected.json    { platform?, env?, settings?, findings: [{ rule, file, line, severity, fix? }] }
 *                    (`fix`: the applicability of the finding's preferred fix),
 *   fixed/           the expected text of every file the preferred safe and unsafe fixes change or create,
 *   output.txt       what a person reads: `wasm-perf check` text output from the workspace
 *                    directory, followed by the notices it prints on stderr.
 *
 * For each case: the findings must equal expected.json exactly, the text output output.txt; the preferred fixes,
 * applied in memory, must produce exactly fixed/; the fixed workspace must parse, must no
 * longer report the fixed findings, and applying fixes again must change nothing.
 *
 * Set WASM_PERF_UPDATE_GOLDEN=1 to (re)write expected.json and fixed/ after reviewing a change.
 */
import assert from 'node:assert/strict';
import { existsSync, mkdirSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { dirname, join, relative } from 'node:path';
import { describe, it } from 'node:test';
import { Analyzer, type AnalysisResult } from '../src/core/engine';
import { applyEdits, planPreferredFixes, type FixPolicy } from '../src/core/fix/apply';
import { countCheckedFiles } from '../src/core/report/summary';
import { formatNoticeText, formatTextReport } from '../src/core/report/text';
import type { Finding } from '../src/core/model';
import type { AnalyzerSettings } from '../src/core/settings';
import { toEnginePath } from '../src/node/node-host';
import { overlayHost, testAssets } from './helpers/hosts';

const GOLDEN = join(process.cwd(), 'test/fixtures/golden');
const UPDATE = process.env.WASM_PERF_UPDATE_GOLDEN === '1';

interface ExpectedFinding {
  rule: string;
  file: string;
  line: number;
  severity: string;
  fix?: string;
}

/** The fixes whose text the golden cases specify: every preferred fix a tool may apply. */
const ALL_APPLIED: FixPolicy = { unsafe: true };

interface Expected {
  platform?: NodeJS.Platform;
  env?: Record<string, string>;
  settings?: Partial<AnalyzerSettings>;
  findings: ExpectedFinding[];
}

function summarize(result: AnalysisResult, root: string): ExpectedFinding[] {
  return result.findings.map((f: Finding) => {
    const source = result.sources.get(f.location.file);
    const line = f.location.binary || !source ? 0 : source.lines.positionAt(f.location.span.start).line + 1;
    const fix = f.fixes.find((x) => x.preferred)?.applicability;
    return { rule: f.ruleId, file: relative(root, f.location.file), line, severity: f.severity, ...(fix ? { fix } : {}) };
  });
}

function filesUnder(dir: string, base = dir, out: string[] = []): string[] {
  if (!existsSync(dir)) return out;
  for (const name of readdirSync(dir)) {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) filesUnder(path, base, out);
    else out.push(relative(base, path));
  }
  return out.sort();
}

async function analyze(root: string, expected: Expected, overlays = new Map<string, string>()): Promise<AnalysisResult> {
  const host = overlayHost(overlays, { env: expected.env ?? {}, platform: expected.platform ?? 'linux' });
  return new Analyzer(host, expected.settings, testAssets()).analyze([root]);
}

/** The CLI's text report as run from the workspace directory, then its notices. */
function textOutput(result: AnalysisResult, root: string): string {
  const report = formatTextReport(result.findings, result.sources, {
    cwd: root,
    color: false,
    quiet: false,
    filesChecked: countCheckedFiles(result.model.files, result.model.binaries.unread),
  });
  return report + result.notices.map((notice) => formatNoticeText(notice, root)).join('');
}

const cases = existsSync(GOLDEN)
  ? readdirSync(GOLDEN)
      .filter((name) => existsSync(join(GOLDEN, name, 'workspace')))
      .sort()
  : [];

describe('golden fixture workspaces', () => {
  it('has cases', () => assert.ok(cases.length > 0, 'no golden cases found'));

  for (const name of cases) {
    it(name, async () => {
      const caseDir = join(GOLDEN, name);
      const root = toEnginePath(join(caseDir, 'workspace'));
      const expectedPath = join(caseDir, 'expected.json');
      const expected: Expected = existsSync(expectedPath) ? JSON.parse(readFileSync(expectedPath, 'utf8')) : { findings: [] };

      const first = await analyze(root, expected);
      const internal = first.notices.filter((n) => n.kind === 'internal');
      assert.deepEqual(internal, [], 'the engine reported internal errors');
      const actual = summarize(first, root);

      const output = textOutput(first, root);
      const plan = planPreferredFixes(first.findings, ALL_APPLIED);
      const fixedTexts = new Map<string, string>();
      for (const change of plan.values()) {
        const before = change.create ? '' : (first.sources.get(change.file)?.text ?? readFileSync(change.file, 'utf8'));
        fixedTexts.set(change.file, applyEdits(before, change.edits));
      }

      if (UPDATE) {
        writeFileSync(expectedPath, `${JSON.stringify({ ...expected, findings: actual }, null, 2)}\n`);
        writeFileSync(join(caseDir, 'output.txt'), output);
        rmSync(join(caseDir, 'fixed'), { recursive: true, force: true });
        for (const [file, text] of fixedTexts) {
          const target = join(caseDir, 'fixed', relative(root, file));
          mkdirSync(dirname(target), { recursive: true });
          writeFileSync(target, text);
        }
        return;
      }

      assert.deepEqual(actual, expected.findings, 'findings differ from expected.json');
      assert.equal(output, readFileSync(join(caseDir, 'output.txt'), 'utf8'), 'text output differs from output.txt');

      const expectedFixed = filesUnder(join(caseDir, 'fixed'));
      assert.deepEqual(
        [...fixedTexts.keys()].map((f) => relative(root, f)).sort(),
        expectedFixed,
        'fixes change a different set of files than fixed/',
      );
      for (const rel of expectedFixed) {
        assert.equal(fixedTexts.get(join(root, rel)), readFileSync(join(caseDir, 'fixed', rel), 'utf8'), `fixed text of ${rel}`);
      }

      if (fixedTexts.size > 0) {
        const second = await analyze(root, expected, fixedTexts);
        const fixedRules = new Set(
          first.findings.filter((f) => f.fixes.some((x) => x.preferred)).map((f) => `${f.ruleId}\0${f.location.file}`),
        );
        const parseErrors = second.findings.filter((f) => f.ruleId === 'toml-syntax' && fixedTexts.has(f.location.file));
        assert.deepEqual(
          parseErrors.map((f) => f.message),
          [],
          'a fixed file no longer parses',
        );
        // A rule may fix in several rounds (overlapping fixes); converge, then check idempotence.
        let overlays = fixedTexts;
        let result = second;
        for (let round = 0; round < 5; round++) {
          const next = planPreferredFixes(result.findings, ALL_APPLIED);
          if (next.size === 0) break;
          overlays = new Map(overlays);
          for (const change of next.values()) {
            const before = overlays.get(change.file) ?? (change.create ? '' : (result.sources.get(change.file)?.text ?? ''));
            overlays.set(change.file, applyEdits(before, change.edits));
          }
          result = await analyze(root, expected, overlays);
        }
        const remaining = result.findings.filter((f) => fixedRules.has(`${f.ruleId}\0${f.location.file}`));
        assert.deepEqual(
          remaining.map((f) => `${f.ruleId}: ${f.message}`),
          [],
          'fixed findings are still reported after fixing',
        );
        assert.equal(planPreferredFixes(result.findings, ALL_APPLIED).size, 0, 'applying fixes again would change files');
      }
    });
  }
});
