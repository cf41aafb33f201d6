/** Applying fixes (offset edits) to text: used by the CLI's `--fix` and by the golden tests. */
import type { FileChange, Finding, FilePath, Fix, TextEdit } from '../model';

/** Which fixes a tool may apply without asking about each one (`--fix`, "fix all"). */
export interface FixPolicy {
  /** Also apply `unsafe` fixes (`--unsafe-fixes`); `display-only` fixes are never applied. */
  readonly unsafe: boolean;
}

export const SAFE_FIXES_ONLY: FixPolicy = { unsafe: false };

/** The fix `--fix` or "fix all" applies for a finding under `policy`, if any. */
export function applicableFix(finding: Finding, policy: FixPolicy = SAFE_FIXES_ONLY): Fix | undefined {
  const fix = finding.fixes.find((f) => f.preferred);
  if (!fix) return undefined;
  return fix.applicability === 'safe' || (fix.applicability === 'unsafe' && policy.unsafe) ? fix : undefined;
}

export class OverlappingEditsError extends Error {}

/** Applies non-overlapping edits to `text`; edits may come in any order. */
export function applyEdits(text: string, edits: readonly TextEdit[]): string {
  const sorted = [...edits].sort((a, b) => a.start - b.start || a.end - b.end);
  for (let i = 1; i < sorted.length; i++) {
    if (sorted[i]!.start < sorted[i - 1]!.end) throw new OverlappingEditsError('edits overlap');
  }
  let out = '';
  let cursor = 0;
  for (const edit of sorted) {
    if (edit.start < cursor || edit.end > text.length || edit.start > edit.end) throw new OverlappingEditsError('edit out of range');
    out += text.slice(cursor, edit.start) + edit.newText;
    cursor = edit.end;
  }
  return out + text.slice(cursor);
}

export interface PlannedFileChange {
  readonly file: FilePath;
  readonly create: boolean;
  readonly edits: TextEdit[];
  /** Titles of the fixes whose edits are included. */
  readonly fixes: string[];
}

/**
 * Collects the preferred fix of each finding that `policy` allows, per file, dropping a fix when any of its
 * edits overlaps one already taken (eslint's `getApplicable`): a second run picks it up.
 * A fix is taken whole or not at all, even when it spans several files.
 */
export function planPreferredFixes(findings: readonly Finding[], policy: FixPolicy = SAFE_FIXES_ONLY): Map<FilePath, PlannedFileChange> {
  const plan = new Map<FilePath, PlannedFileChange>();
  const overlaps = (a: TextEdit, b: TextEdit) =>
    (a.start < b.end && b.start < a.end) || (a.start === a.end && b.start === b.end && a.start === b.start);
  for (const finding of findings) {
    const fix = applicableFix(finding, policy);
    if (!fix) continue;
    const clashes = fix.changes.some((change: FileChange) => {
      const existing = plan.get(change.file);
      return (
        existing !== undefined &&
        change.edits.some((e) =>
          existing.edits.some((x) => overlaps(e, x) && !(e.start === x.start && e.end === x.end && e.newText === x.newText)),
        )
      );
    });
    if (clashes) continue;
    for (const change of fix.changes) {
      const existing = plan.get(change.file) ?? { file: change.file, create: change.create === true, edits: [], fixes: [] };
      for (const edit of change.edits) {
        if (!existing.edits.some((x) => x.start === edit.start && x.end === edit.end && x.newText === edit.newText))
          existing.edits.push(edit);
      }
      existing.fixes.push(fix.title);
      plan.set(change.file, existing);
    }
  }
  return plan;
}
