import { SEVERITY_RANK, type Finding } from '../core/model';

/** The CLI's exit codes, in a module of their own so the dispatcher loads no command to know them. */
export const EXIT_OK = 0;
export const EXIT_FINDINGS = 1;
export const EXIT_ERROR = 2;

/** Findings at warning or above fail the command (exit 1), in `check` and `inspect` alike. */
export function hasBlockingFindings(findings: readonly Finding[]): boolean {
  return findings.some((finding) => SEVERITY_RANK[finding.severity] >= SEVERITY_RANK.warning);
}
