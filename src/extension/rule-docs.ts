/**
 * Rule documentation inside VS Code: a read-only virtual markdown document per rule,
 * shown in the built-in markdown preview. Diagnostics link to it through a `command:` URI
 * (the Problems panel and the hover open those with commands allowed).
 */
import * as vscode from 'vscode';
import type { RuleMeta } from '../core/model';
import type { LoadEngine } from './engine-loader';

export const SHOW_RULE_DOCS = 'wasm-perf.showRuleDocs';
export const RULE_DOCS_SCHEME = 'wasm-perf-rule';

export function ruleDocsUri(ruleId: string): vscode.Uri {
  return vscode.Uri.from({ scheme: RULE_DOCS_SCHEME, path: `/${ruleId}.md` });
}

/** The link target a diagnostic's code carries. */
export function ruleDocsCommandUri(ruleId: string): vscode.Uri {
  return vscode.Uri.parse(`command:${SHOW_RULE_DOCS}?${encodeURIComponent(JSON.stringify([ruleId]))}`);
}

function fixWords(fix: RuleMeta['fix']): string {
  switch (fix) {
    case 'safe':
      return vscode.l10n.t('fixes: safe (applied by fix-all)');
    case 'unsafe':
      return vscode.l10n.t('fixes: unsafe (one at a time, labelled "changes behaviour")');
    case 'display-only':
      return vscode.l10n.t('fixes: suggestion only');
    case 'none':
      return vscode.l10n.t('fixes: none');
  }
}

export function renderRuleDocs(meta: RuleMeta): string {
  const severity = { error: vscode.l10n.t('error'), warning: vscode.l10n.t('warning'), info: vscode.l10n.t('info') }[meta.defaultSeverity];
  const docs = meta.docs.trim();
  // Most rules' docs open with their own title; the page gets one heading either way.
  const ownTitle = /^# [^\n]*/.exec(docs);
  const title = ownTitle ? ownTitle[0] : `# ${meta.title}`;
  const body = ownTitle ? docs.slice(ownTitle[0].length).trim() : docs;
  const lines = [
    title,
    '',
    `\`${meta.id}\` · ${vscode.l10n.t('category: {0}', meta.category)} · ${vscode.l10n.t('default severity: {0}', severity)} · ${fixWords(meta.fix)}`,
    '',
    `> ${meta.summary}`,
    '',
    body,
  ];
  if (meta.sources.length > 0) {
    lines.push('', `## ${vscode.l10n.t('Sources')}`, '', ...meta.sources.map((source) => `- <${source}>`));
  }
  lines.push(
    '',
    '---',
    '',
    vscode.l10n.t(
      'Silence this rule on one line with a comment `wasm-perf: allow({0})`, or everywhere with the setting `wasm-perf.rules`.',
      meta.id,
    ),
    '',
  );
  return lines.join('\n');
}

class RuleDocsProvider implements vscode.TextDocumentContentProvider {
  constructor(private readonly loadEngine: LoadEngine) {}

  async provideTextDocumentContent(uri: vscode.Uri): Promise<string> {
    const id = uri.path.replace(/^\//, '').replace(/\.md$/, '');
    const meta = (await this.loadEngine()).ruleById(id)?.meta;
    return meta
      ? renderRuleDocs(meta)
      : `# ${vscode.l10n.t('Unknown rule {0}', id)}\n\n${vscode.l10n.t('This version of wasm-perf has no rule with that id.')}\n`;
  }
}

async function pickRule(loadEngine: LoadEngine): Promise<string | undefined> {
  const { RULES } = await loadEngine();
  const picked = await vscode.window.showQuickPick(
    RULES.map((rule) => ({ label: rule.meta.id, description: rule.meta.title, detail: rule.meta.summary })),
    { placeHolder: vscode.l10n.t('Show the documentation of which wasm-perf rule?'), matchOnDescription: true, matchOnDetail: true },
  );
  return picked?.label;
}

/** The rule registry comes with the engine bundle, loaded when docs are first asked for. */
export function registerRuleDocs(loadEngine: LoadEngine): vscode.Disposable {
  return vscode.Disposable.from(
    vscode.workspace.registerTextDocumentContentProvider(RULE_DOCS_SCHEME, new RuleDocsProvider(loadEngine)),
    vscode.commands.registerCommand(SHOW_RULE_DOCS, async (ruleId?: unknown) => {
      const id = typeof ruleId === 'string' ? ruleId : await pickRule(loadEngine);
      if (!id) return;
      await vscode.commands.executeCommand('markdown.showPreview', ruleDocsUri(id));
    }),
  );
}
