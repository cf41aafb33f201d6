import { applicableFix } from '../fix/apply';
import type { Finding, Severity } from '../model';
import type { DiscoveredFiles } from '../workspace/discover';

export interface FindingCounts {
  readonly error: number;
  readonly warning: number;
  readonly info: number;
  /** Findings with a safe preferred fix (what `--fix` applies). */
  readonly fixable: number;
  /** Findings whose preferred fix is unsafe (applied only with `--unsafe-fixes`). */
  readonly unsafeFixable: number;
}

export function countFindings(findings: readonly Finding[]): FindingCounts {
  const counts: Record<Severity, number> = { error: 0, warning: 0, info: 0 };
  let fixable = 0;
  let unsafeFixable = 0;
  for (const finding of findings) {
    counts[finding.severity]++;
    if (applicableFix(finding)) fixable++;
    else if (applicableFix(finding, { unsafe: true })) unsafeFixable++;
  }
  return { ...counts, fixable, unsafeFixable };
}

function plural(count: number, word: string): string {
  return `${count} ${word}${count === 1 || word === 'info' ? '' : 's'}`;
}

/** "1 error, 2 warnings" style phrase; "no findings" when there are none. */
export function describeCounts(counts: FindingCounts): string {
  const parts = (['error', 'warning', 'info'] as const).filter((s) => counts[s] > 0).map((s) => plural(counts[s], s));
  return parts.length > 0 ? parts.join(', ') : 'no findings';
}

export function describeFileCount(count: number): string {
  return plural(count, 'file');
}

/**
 * How many files an analysis looked at: every discovered kind but the roots, less the binaries
 * it left unread (a summary of "no findings in 7000 files" after skipping 7000 test modules would
 * claim a check that never ran).
 */
export function countCheckedFiles(files: DiscoveredFiles, unreadBinaries: number): number {
  let count = 0;
  for (const [kind, paths] of Object.entries(files)) if (kind !== 'roots') count += paths.length;
  return count - unreadBinaries;
}
