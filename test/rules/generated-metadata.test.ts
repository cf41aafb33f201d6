/**
 * A rule's title, summary, default severity and fix applicability live in its own file; the
 * `wasm-perf.rules` settings schema in package.json and the rule table in README.md are
 * generated from the registry. This test fails when either is stale; run it with
 * WASM_PERF_UPDATE_GENERATED=1 to rewrite both, then review the diff.
 */
import assert from 'node:assert/strict';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import type { RuleMeta } from '../../src/core/model';
import { RULES } from '../../src/core/rules';

const root = process.cwd();
const UPDATE = process.env.WASM_PERF_UPDATE_GENERATED === '1';
const TABLE_START = '<!-- rules:start (generated from src/core/rules by test/rules/generated-metadata.test.ts) -->';
const TABLE_END = '<!-- rules:end -->';

const FIX_WORDS: Record<RuleMeta['fix'], string> = {
  safe: 'safe',
  unsafe: 'unsafe',
  'display-only': 'suggestion',
  none: '—',
};

function settingSchema(meta: RuleMeta): Record<string, unknown> {
  const fix = meta.fix === 'none' ? '' : ` Fix: ${FIX_WORDS[meta.fix]}.`;
  return {
    type: 'string',
    enum: ['off', 'info', 'warning', 'error'],
    default: meta.defaultSeverity,
    markdownDescription: `**${meta.title}.** ${meta.summary}${fix} See \`wasm-perf explain ${meta.id}\`.`,
  };
}

function readmeTable(): string {
  const escape = (text: string) => text.replace(/\|/g, '\\|');
  const rows = RULES.map(({ meta }) => `| \`${meta.id}\` | ${escape(meta.summary)} | ${meta.defaultSeverity} | ${FIX_WORDS[meta.fix]} |`);
  return [TABLE_START, '| id | finds | default | fix |', '|---|---|---|---|', ...rows, TABLE_END].join('\n');
}

describe('generated rule metadata', () => {
  it('package.json has one severity setting per registered rule, from its metadata', () => {
    const path = join(root, 'package.json');
    const text = readFileSync(path, 'utf8');
    const manifest = JSON.parse(text) as {
      contributes: { configuration: { properties: Record<string, { properties?: Record<string, unknown> }> } };
    };
    const setting = manifest.contributes.configuration.properties['wasm-perf.rules']!;
    const expected = Object.fromEntries(RULES.map(({ meta }) => [meta.id, settingSchema(meta)]));
    if (UPDATE) {
      setting.properties = expected;
      writeFileSync(path, `${JSON.stringify(manifest, null, 2)}\n`);
      return;
    }
    assert.deepEqual(setting.properties, expected, 'package.json is stale: run this test with WASM_PERF_UPDATE_GENERATED=1');
  });

  it('README.md has the rule table of the registry', () => {
    const path = join(root, 'README.md');
    const text = readFileSync(path, 'utf8');
    const start = text.indexOf(TABLE_START);
    const end = text.indexOf(TABLE_END);
    assert.ok(start >= 0 && end > start, 'README.md lacks the generated rule table markers');
    const current = text.slice(start, end + TABLE_END.length);
    if (UPDATE) {
      writeFileSync(path, text.replace(current, readmeTable()));
      return;
    }
    assert.equal(current, readmeTable(), 'README.md is stale: run this test with WASM_PERF_UPDATE_GENERATED=1');
  });

  it('every rule has a well-formed id, a title, a summary and documentation', () => {
    for (const { meta } of RULES) {
      assert.match(meta.id, /^[a-z0-9]+(-[a-z0-9]+)*$/, meta.id);
      assert.ok(meta.summary.length > 0 && meta.title.length > 0, meta.id);
      assert.ok(meta.docs.length > 200, `${meta.id} has little documentation`);
      assert.doesNotMatch(meta.docs, /§|\bfacts\b/, `${meta.id} cites a document users do not have`);
      for (const url of meta.docs.match(/https:\/\/[^\s)>]+/g) ?? [])
        assert.ok(meta.sources.includes(url), `${meta.id} cites ${url} without listing it in sources`);
    }
  });
});
