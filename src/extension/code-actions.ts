/**
 * Quick fixes for wasm-perf diagnostics: the engine's fixes (a safe preferred one marked
 * preferred, unsafe ones labelled as such, suggestions shown but disabled), "silence this rule here", the rule's documentation, and for rules whose cost can be
 * measured, a benchmark of the difference; plus "fix all" as `source.fixAll.wasm-perf`.
 *
 * Fixes are offsets into the text the engine analysed. When the document has changed
 * since (its version differs from the one the diagnostics were computed for), applying
 * them would corrupt the file, so they are refused with a reason until the new analysis
 * lands (as vscode-eslint does).
 */
import * as vscode from 'vscode';
import { applicableFix, planPreferredFixes } from '../core/fix/apply';
import type { FileChange, Finding } from '../core/model';
import { suppressionFix } from '../core/suppress';
import { dirname, isInside } from '../core/text/paths';
import { DIAGNOSTIC_SOURCE, diagnosticKey } from './diagnostics';
import { isCurrent, type DiagnosticStore, type Snapshot } from './diagnostic-store';
import { toWorkspaceEdit } from './fix-edits';
import { SHOW_RULE_DOCS } from './rule-docs';

export const FIX_ALL_KIND = vscode.CodeActionKind.SourceFixAll.append('wasm-perf');
export const MEASURE_DIFFERENCE = 'wasm-perf.measureDifference';

/** What `wasm-perf.measureDifference` receives. */
export interface MeasureDifferenceArgs {
  /** Engine path of the Cargo.toml whose crate is built with and without the fix. */
  readonly manifestPath: string;
  readonly ruleId: string;
  readonly fixes: Finding['fixes'];
}

export interface CodeActionDeps {
  readonly store: DiagnosticStore;
  readonly isTrusted: () => boolean;
  /** The open document for a URI, if any (to check that other files a fix edits are unchanged). */
  readonly openDocument: (uri: vscode.Uri) => vscode.TextDocument | undefined;
  readonly log: vscode.LogOutputChannel;
}

export class WasmPerfCodeActions implements vscode.CodeActionProvider {
  static readonly metadata: vscode.CodeActionProviderMetadata = {
    providedCodeActionKinds: [vscode.CodeActionKind.QuickFix, FIX_ALL_KIND],
  };

  constructor(private readonly deps: CodeActionDeps) {}

  provideCodeActions(
    document: vscode.TextDocument,
    range: vscode.Range | vscode.Selection,
    context: vscode.CodeActionContext,
  ): vscode.CodeAction[] {
    try {
      return this.actionsFor(document, range, context);
    } catch (error) {
      // VS Code would only show "no code actions"; the log says why.
      this.deps.log.error(
        `code actions for ${document.uri.toString()} failed: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}`,
      );
      throw error;
    }
  }

  private actionsFor(
    document: vscode.TextDocument,
    range: vscode.Range | vscode.Selection,
    context: vscode.CodeActionContext,
  ): vscode.CodeAction[] {
    const found = this.deps.store.findingsFor(document.uri);
    if (found.length === 0) return [];
    const actions: vscode.CodeAction[] = [];
    const wantsQuickFixes = !context.only || vscode.CodeActionKind.QuickFix.intersects(context.only);
    const wantsFixAll = context.only !== undefined && FIX_ALL_KIND.intersects(context.only);

    if (wantsQuickFixes) {
      const requested = new Set(context.diagnostics.filter((d) => d.source === DIAGNOSTIC_SOURCE).map(diagnosticKey));
      for (const { snapshot, file } of found) {
        const current = isCurrent(snapshot, file.path, document);
        for (const entry of file.entries) {
          if (!requested.has(diagnosticKey(entry.diagnostic)) || !entry.diagnostic.range.intersection(range)) continue;
          actions.push(...this.quickFixes(entry.finding, entry.diagnostic, snapshot, current));
        }
      }
      // Like eslint's "fix all auto-fixable problems": offered next to a fix when there is more than one to apply.
      const fixable = found[0]?.file.entries.filter((entry) => applicableFix(entry.finding)).length ?? 0;
      if (actions.length > 0 && fixable > 1) {
        const fixAll = this.fixAll(document, found, vscode.CodeActionKind.QuickFix);
        if (fixAll) actions.push(fixAll);
      }
    }
    if (wantsFixAll) {
      const fixAll = this.fixAll(document, found, FIX_ALL_KIND);
      if (fixAll) actions.push(fixAll);
    }
    return actions;
  }

  private quickFixes(finding: Finding, diagnostic: vscode.Diagnostic, snapshot: Snapshot, current: boolean): vscode.CodeAction[] {
    const actions: vscode.CodeAction[] = [];
    const quickFix = (title: string) => {
      const action = new vscode.CodeAction(title, vscode.CodeActionKind.QuickFix);
      action.diagnostics = [diagnostic];
      return action;
    };
    const stale = vscode.l10n.t(
      'The file changed since wasm-perf analysed it; the fix will be offered again once the new analysis is done.',
    );
    const withEdit = (action: vscode.CodeAction, changes: readonly FileChange[]) => {
      const edit =
        current && this.othersCurrent(snapshot, changes) ? toWorkspaceEdit(changes, snapshot.result.sources, snapshot.mapper) : undefined;
      if (edit) action.edit = edit;
      else action.disabled = { reason: stale };
      return action;
    };

    for (const fix of finding.fixes) {
      if (fix.applicability === 'display-only') {
        // Shown so the user sees what to change, but nothing here can apply it correctly.
        const suggestion = quickFix(vscode.l10n.t('Suggestion: {0}', fix.title));
        suggestion.disabled = {
          reason: vscode.l10n.t('This change needs a decision only you can make; apply it by hand (see the rule documentation).'),
        };
        actions.push(suggestion);
        continue;
      }
      const title = fix.applicability === 'unsafe' ? vscode.l10n.t('{0} (changes behaviour)', fix.title) : fix.title;
      const action = withEdit(quickFix(title), fix.changes);
      if (fix.preferred && fix.applicability === 'safe' && !action.disabled) action.isPreferred = true;
      actions.push(action);
    }
    const source = snapshot.result.sources.get(finding.location.file);
    const silence = source ? suppressionFix(finding, source) : undefined;
    if (silence) actions.push(withEdit(quickFix(vscode.l10n.t('Silence {0} on this line', finding.ruleId)), silence.changes));

    if (snapshot.result.rules.find((meta) => meta.id === finding.ruleId)?.measurable) {
      const manifestPath = manifestFor(finding.location.file, snapshot);
      if (manifestPath) {
        const measure = quickFix(vscode.l10n.t('Measure the difference (build and benchmark both variants)'));
        const args: MeasureDifferenceArgs = { manifestPath, ruleId: finding.ruleId, fixes: finding.fixes };
        measure.command = { title: measure.title, command: MEASURE_DIFFERENCE, arguments: [args] };
        if (!this.deps.isTrusted())
          measure.disabled = {
            reason: vscode.l10n.t('Measuring builds and runs code, which Restricted Mode does not allow. Trust this workspace to measure.'),
          };
        actions.push(measure);
      }
    }

    const docs = quickFix(vscode.l10n.t('Open documentation for {0}', finding.ruleId));
    docs.command = { title: docs.title, command: SHOW_RULE_DOCS, arguments: [finding.ruleId] };
    actions.push(docs);
    return actions;
  }

  private fixAll(
    document: vscode.TextDocument,
    found: ReturnType<DiagnosticStore['findingsFor']>,
    kind: vscode.CodeActionKind,
  ): vscode.CodeAction | undefined {
    const title = vscode.l10n.t('Fix all wasm-perf problems in this file');
    // One snapshot's offsets per edit: with nested folders, the first folder that saw the file wins.
    const first = found[0]!;
    const plan = planPreferredFixes(first.file.entries.map((entry) => entry.finding));
    if (plan.size === 0) return undefined;
    const changes: FileChange[] = [...plan.values()].map((change) => ({
      file: change.file,
      edits: change.edits,
      ...(change.create ? { create: true } : {}),
    }));
    const action = new vscode.CodeAction(title, kind);
    const edit =
      isCurrent(first.snapshot, first.file.path, document) && this.othersCurrent(first.snapshot, changes)
        ? toWorkspaceEdit(changes, first.snapshot.result.sources, first.snapshot.mapper)
        : undefined;
    if (!edit) return undefined; // a fix-all on save must never apply stale offsets; the next analysis offers it again
    action.edit = edit;
    action.diagnostics = first.file.entries.map((entry) => entry.diagnostic);
    return action;
  }

  /** Files other than the finding's own that a fix edits must be unchanged too. */
  private othersCurrent(snapshot: Snapshot, changes: readonly FileChange[]): boolean {
    return changes.every(
      (change) => change.create || isCurrent(snapshot, change.file, this.deps.openDocument(snapshot.mapper.toUri(change.file))),
    );
  }
}

/** The manifest whose crate a finding is about: the file itself, or the nearest enclosing Cargo.toml. */
export function manifestFor(file: string, snapshot: Pick<Snapshot, 'result'>): string | undefined {
  const manifests = snapshot.result.model.files.manifests;
  if (manifests.includes(file)) return file;
  let best: string | undefined;
  for (const manifest of manifests) {
    if (isInside(file, dirname(manifest)) && (!best || manifest.length > best.length)) best = manifest;
  }
  return best;
}
