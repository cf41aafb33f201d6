import { stub, resetStub } from '../helpers/vscode-stub';
import assert from 'node:assert/strict';
import { beforeEach, describe, it } from 'node:test';
import * as vscode from 'vscode';
import type { RuleMeta } from '../../src/core/model';
import { RULES } from '../../src/core/rules';
import { registerRuleDocs, renderRuleDocs, ruleDocsUri, RULE_DOCS_SCHEME } from '../../src/extension/rule-docs';
import { loadEngine } from './fixtures';

const meta: RuleMeta = {
  id: 'opt-level-size',
  title: 'Release profile optimised for size',
  category: 'build',
  defaultSeverity: 'warning',
  summary: 'Finds opt-level "s" or "z" in release profiles of wasm crates.',
  docs: '# Release profile optimised for size\n\nWhy it is slower.\n',
  sources: ['https://doc.rust-lang.org/cargo/reference/profiles.html#opt-level'],
  fix: 'none',
  measurable: false,
};

describe('rule documentation', () => {
  beforeEach(resetStub);

  it('renders one title, the rule facts, the docs and the sources', () => {
    const page = renderRuleDocs(meta);
    assert.equal(page.match(/^# /gm)?.length, 1);
    assert.match(page, /^# Release profile optimised for size\n/);
    assert.match(page, /`opt-level-size` · category: build · default severity: warning/);
    assert.match(page, /Why it is slower\./);
    assert.match(page, /- <https:\/\/doc\.rust-lang\.org\/cargo\/reference\/profiles\.html#opt-level>/);
    assert.match(page, /wasm-perf: allow\(opt-level-size\)/);
    assert.match(renderRuleDocs({ ...meta, docs: 'No heading here.' }), /^# Release profile optimised for size\n/);
  });

  it('serves every registered rule as a virtual markdown document and opens it in the preview', async () => {
    registerRuleDocs(loadEngine);
    const provider = stub.contentProviders.get(RULE_DOCS_SCHEME)!;
    for (const rule of RULES)
      assert.match((await provider.provideTextDocumentContent(ruleDocsUri(rule.meta.id)))!, new RegExp(`\`${rule.meta.id}\``));
    assert.match((await provider.provideTextDocumentContent(ruleDocsUri('no-such-rule')))!, /Unknown rule no-such-rule/);
    await vscode.commands.executeCommand('wasm-perf.showRuleDocs', 'opt-level-size');
    const preview = stub.executedCommands.find((c) => c.command === 'markdown.showPreview');
    assert.equal((preview?.args[0] as vscode.Uri).toString(), ruleDocsUri('opt-level-size').toString());
  });
});
