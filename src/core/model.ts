/**
 * The engine's data model. Everything here is plain data: no `vscode` types, no
 * line/column positions. Hosts (CLI, extension, tests) turn spans into positions
 * through `text/line-index.ts`, the one place where that happens.
 *
 * Spans in text files are offsets into the decoded JavaScript string (UTF-16 code
 * units, the unit `TextDocument.positionAt` also uses). Spans in binary files
 * (`Finding.binary`) are byte offsets into the file.
 */

export type Severity = 'error' | 'warning' | 'info';
export type SeveritySetting = Severity | 'off';

export const SEVERITY_RANK: Record<Severity, number> = { info: 0, warning: 1, error: 2 };

/** Absolute, '/'-separated path as the host spells it. */
export type FilePath = string;

export interface Span {
  readonly start: number;
  readonly end: number;
}

export interface Location {
  readonly file: FilePath;
  readonly span: Span;
  /** The span is in bytes of a binary file, not in text. */
  readonly binary?: boolean;
}

/** A fact a finding relied on; with a location it becomes VS Code's `relatedInformation`. */
export interface Evidence {
  readonly message: string;
  readonly location?: Location;
}

export interface TextEdit {
  readonly start: number;
  readonly end: number;
  readonly newText: string;
}

export interface FileChange {
  readonly file: FilePath;
  /** Edits against the file's current text (sorted or not; they must not overlap). */
  readonly edits: readonly TextEdit[];
  /** The file does not exist yet; edits apply to the empty string. */
  readonly create?: boolean;
}

/**
 * How freely a fix may be applied, like clippy's `Applicability` and Ruff's fix safety.
 * - `safe`: keeps what the program does; `--fix` and "fix all" apply it.
 * - `unsafe`: a trade-off or a change a host may not support (SIMD, unwind info off);
 *   applied only with `--unsafe-fixes`, or one at a time from the lightbulb, marked so.
 * - `display-only`: shown as a suggestion, never applied by any tool.
 */
export type FixApplicability = 'safe' | 'unsafe' | 'display-only';

export const FIX_APPLICABILITIES: readonly FixApplicability[] = ['safe', 'unsafe', 'display-only'];

export interface Fix {
  readonly title: string;
  /** The one fix a "fix all" or `--fix` considers for this finding (then only if its applicability allows). */
  readonly preferred?: boolean;
  readonly applicability: FixApplicability;
  readonly changes: readonly FileChange[];
}

export interface Finding {
  readonly ruleId: string;
  readonly severity: Severity;
  /** One line, no trailing period. */
  readonly message: string;
  readonly location: Location;
  /** Longer, finding-specific explanation (the rule's docs hold the general one). */
  readonly detail?: string;
  readonly evidence: readonly Evidence[];
  readonly fixes: readonly Fix[];
}

/** A finding before the engine applies the configured severity and suppressions. */
export type RawFinding = Omit<Finding, 'severity' | 'evidence' | 'fixes'> & {
  readonly severity?: Severity;
  readonly evidence?: readonly Evidence[];
  readonly fixes?: readonly Fix[];
};

/** Something that is not a rule finding: an unreadable directory, a skipped huge file. */
export interface Notice {
  readonly file: FilePath;
  readonly message: string;
  readonly kind: 'skipped' | 'unreadable' | 'internal';
}

export type RuleCategory = 'build' | 'host' | 'binary' | 'input';

export interface RuleMeta {
  /** Stable id, e.g. `opt-level-size`. */
  readonly id: string;
  readonly title: string;
  readonly category: RuleCategory;
  readonly defaultSeverity: Severity;
  /** One sentence: what the rule finds. */
  readonly summary: string;
  /**
   * Markdown documentation: what it finds, why it costs speed (citing the facts and
   * the versions where behaviour changed), how to fix it, when to silence it.
   */
  readonly docs: string;
  /** Public sources the docs cite. */
  readonly sources: readonly string[];
  /** The applicability of the rule's fixes (the docs say why), or 'none' when it offers none. */
  readonly fix: FixApplicability | 'none';
  /** The finding's cost can be measured with a crate variant ("Measure the difference", `bench --variant`). */
  readonly measurable: boolean;
}
