/**
 * `--fix`: apply every finding's preferred fix that the policy allows (safe ones; unsafe ones
 * too with `--unsafe-fixes`), re-analyse, and repeat until nothing changes
 * (a fix dropped for overlapping another is picked up by the next round, and a fix can
 * reveal a finding that was hidden behind another).
 */
import type { AnalysisResult, Analyzer, AnalyzeOptions } from '../core/engine';
import { applicableFix, applyEdits, planPreferredFixes, SAFE_FIXES_ONLY, type FixPolicy, type PlannedFileChange } from '../core/fix/apply';
import { describeError } from '../core/host';
import type { Finding, FilePath } from '../core/model';
import { toOsPath } from '../node/node-host';
import { createFileExclusively, replaceFileAtomically, type WriterFs } from './atomic-write';

export const MAX_FIX_ROUNDS = 5;

export interface WrittenFile {
  readonly file: FilePath;
  readonly created: boolean;
  /** Titles of the fixes the write applied. */
  readonly fixes: readonly string[];
}

export interface FailedWrite {
  readonly file: FilePath;
  readonly message: string;
}

export interface FixOutcome {
  /** The analysis after the last round: what is left to report. */
  readonly result: AnalysisResult;
  readonly written: readonly WrittenFile[];
  readonly failed: readonly FailedWrite[];
  /** Fixes were still producing changes when the round limit was reached. */
  readonly unsettled: boolean;
}

export interface FixRunOptions extends AnalyzeOptions {
  readonly maxRounds?: number;
  /** Which fixes to apply; safe ones only by default. */
  readonly policy?: FixPolicy;
  readonly fs?: WriterFs;
  /** Called after each file is written, for live output. */
  readonly onWrite?: (written: WrittenFile) => void;
}

export async function fixUntilStable(analyzer: Analyzer, roots: readonly FilePath[], options: FixRunOptions = {}): Promise<FixOutcome> {
  const written: WrittenFile[] = [];
  const failed: FailedWrite[] = [];
  const failedFiles = new Set<FilePath>();
  const maxRounds = options.maxRounds ?? MAX_FIX_ROUNDS;
  const policy = options.policy ?? SAFE_FIXES_ONLY;
  for (let round = 0; round < maxRounds; round++) {
    const result = await analyzer.analyze(roots, options);
    // A fix that touches a file we could not write would be planned again every round.
    const fixable = result.findings.filter((finding) => !touchesAny(finding, failedFiles, policy));
    const plan = planPreferredFixes(fixable, policy);
    const changed: FilePath[] = [];
    for (const change of plan.values()) {
      const outcome = await applyChange(change, result, options.fs);
      if (outcome === 'unchanged') continue;
      if (typeof outcome === 'string') {
        failed.push({ file: change.file, message: outcome });
        failedFiles.add(change.file);
        continue;
      }
      written.push(outcome);
      options.onWrite?.(outcome);
      changed.push(change.file);
    }
    if (changed.length === 0) return { result, written, failed, unsettled: false };
    analyzer.forget(changed);
  }
  const result = await analyzer.analyze(roots, options);
  const stillFixable =
    planPreferredFixes(
      result.findings.filter((finding) => !touchesAny(finding, failedFiles, policy)),
      policy,
    ).size > 0;
  return { result, written, failed, unsettled: stillFixable };
}

function touchesAny(finding: Finding, files: ReadonlySet<FilePath>, policy: FixPolicy): boolean {
  const fix = applicableFix(finding, policy);
  return fix !== undefined && fix.changes.some((change) => files.has(change.file));
}

/** Writes one planned change; returns what was written, 'unchanged', or why it failed. */
async function applyChange(
  change: PlannedFileChange,
  result: AnalysisResult,
  fs: WriterFs | undefined,
): Promise<WrittenFile | 'unchanged' | string> {
  const before = change.create ? '' : result.sources.get(change.file)?.text;
  if (before === undefined) return 'the file was not read as text, so its fix cannot be applied';
  let after: string;
  try {
    after = applyEdits(before, change.edits);
  } catch (error) {
    return `the fix's edits do not apply: ${describeError(error)}`;
  }
  if (after === before && !change.create) return 'unchanged';
  try {
    if (change.create) await createFileExclusively(toOsPath(change.file), after, fs);
    else await replaceFileAtomically(toOsPath(change.file), before, after, fs);
  } catch (error) {
    return describeError(error);
  }
  return { file: change.file, created: change.create, fixes: change.fixes };
}
