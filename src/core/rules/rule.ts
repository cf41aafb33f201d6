import type { RawFinding, RuleMeta } from '../model';
import type { WorkspaceModel } from '../workspace/model';

export interface RuleContext {
  readonly workspace: WorkspaceModel;
  /** Severity defaults to the rule's; the engine applies settings and suppressions. */
  report(finding: Omit<RawFinding, 'ruleId'>): void;
}

/**
 * One rule, one file: the module exports a `Rule` with its metadata, documentation,
 * check and fixes. Checks are synchronous and pure over the model; all I/O and
 * parsing happened while the model was loaded.
 */
export interface Rule {
  readonly meta: RuleMeta;
  check(context: RuleContext): void;
}
