/**
 * The manifest and the translations agree with the code: every %key% in package.json has
 * an English and a Chinese text, every `l10n.t('…')` string under src/extension has both
 * bundle entries, and every command the code registers or runs is declared.
 */
import assert from 'node:assert/strict';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { RULES } from '../../src/core/rules';

const root = process.cwd();
const readJson = (path: string) => JSON.parse(readFileSync(join(root, path), 'utf8')) as Record<string, unknown>;
const manifest = readJson('package.json');
const manifestText = readFileSync(join(root, 'package.json'), 'utf8');

function sourcesUnder(dir: string, out: string[] = []): string[] {
  for (const name of readdirSync(dir)) {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) sourcesUnder(path, out);
    else if (path.endsWith('.ts')) out.push(readFileSync(path, 'utf8'));
  }
  return out;
}

/** The first argument of every `l10n.t(...)` call that is a plain string literal. */
function l10nStrings(sources: readonly string[]): Set<string> {
  const found = new Set<string>();
  const call = /l10n\.t\(\s*(?:\{\s*message:\s*)?('(?:[^'\\]|\\.)*'|"(?:[^"\\]|\\.)*")/g;
  for (const text of sources) {
    for (const match of text.matchAll(call)) {
      const literal = match[1]!;
      found.add(
        JSON.parse(literal.startsWith("'") ? `"${literal.slice(1, -1).replace(/\\'/g, "'").replace(/"/g, '\\"')}"` : literal) as string,
      );
    }
  }
  return found;
}

describe('manifest and translations', () => {
  it('has an English and a Simplified Chinese text for every %key% in package.json', () => {
    const keys = new Set([...manifestText.matchAll(/"%([^%"]+)%"/g)].map((m) => m[1]!));
    assert.ok(keys.size > 10);
    for (const file of ['package.nls.json', 'package.nls.zh-cn.json']) {
      const nls = readJson(file);
      for (const key of keys) assert.equal(typeof nls[key], 'string', `${file} lacks ${key}`);
      for (const key of Object.keys(nls)) assert.ok(keys.has(key), `${file} has unused key ${key}`);
    }
    const english = readJson('package.nls.json');
    const chinese = readJson('package.nls.zh-cn.json');
    for (const key of keys) assert.notEqual(chinese[key], english[key], `${key} is not translated`);
  });

  it('has both bundle entries for every l10n.t string of the extension', () => {
    const strings = l10nStrings(sourcesUnder(join(root, 'src/extension')));
    assert.ok(strings.size > 10);
    const english = readJson('l10n/bundle.l10n.json');
    const chinese = readJson('l10n/bundle.l10n.zh-cn.json');
    for (const text of strings) {
      assert.equal(english[text], text, `l10n/bundle.l10n.json lacks "${text}"`);
      assert.equal(typeof chinese[text], 'string', `l10n/bundle.l10n.zh-cn.json lacks "${text}"`);
      // Placeholders must survive translation.
      const placeholders = (s: string) => [...s.matchAll(/\{\w+\}/g)].map((m) => m[0]).sort();
      assert.deepEqual(placeholders(chinese[text] as string), placeholders(text), `placeholders of "${text}"`);
    }
    assert.deepEqual(Object.keys(chinese).sort(), Object.keys(english).sort());
  });

  it('declares every wasm-perf command the code registers or links to, under one category', () => {
    const contributes = manifest.contributes as { commands: { command: string; category: string }[] };
    const declared = new Set(contributes.commands.map((c) => c.command));
    const used = new Set(
      sourcesUnder(join(root, 'src/extension')).flatMap((text) => [...text.matchAll(/'(wasm-perf\.[a-zA-Z]+)'/g)].map((m) => m[1]!)),
    );
    for (const id of [
      'wasm-perf.analyzeWorkspace',
      'wasm-perf.inspectWasm',
      'wasm-perf.openBenchmarkPanel',
      'wasm-perf.benchmarkExport',
      'wasm-perf.measureDifference',
      'wasm-perf.showRuleDocs',
      'wasm-perf.exportSarif',
    ]) {
      assert.ok(declared.has(id), `${id} is not declared`);
    }
    const notCommands = new Set([
      'wasm-perf.sarif',
      'wasm-perf.wasmReport',
      'wasm-perf.benchmark',
      'wasm-perf.findings',
      'wasm-perf.rules',
    ]);
    for (const id of used)
      if (!notCommands.has(id) && !id.startsWith('wasm-perf.benchmark.')) assert.ok(declared.has(id), `${id} is used but not declared`);
    assert.ok(contributes.commands.every((c) => c.category === 'wasm-perf'));
  });

  it('activates lazily and declares limited trust with the restricted settings', () => {
    assert.deepEqual(manifest.activationEvents, [
      'workspaceContains:**/Cargo.toml',
      'workspaceContains:**/*.wasm',
      'workspaceContains:**/go.mod',
      'onCustomEditor:wasm-perf.wasmReport',
      'onWebviewPanel:wasm-perf.benchmark',
    ]);
    const capabilities = manifest.capabilities as {
      untrustedWorkspaces: { supported: string; restrictedConfigurations: string[] };
      virtualWorkspaces: { supported: boolean };
    };
    assert.equal(capabilities.untrustedWorkspaces.supported, 'limited');
    assert.ok(capabilities.untrustedWorkspaces.restrictedConfigurations.includes('wasm-perf.benchmark.cargoPath'));
    assert.equal(capabilities.virtualWorkspaces.supported, false);
  });

  it('offers a severity setting for exactly the registered rules', () => {
    const properties = (
      manifest.contributes as { configuration: { properties: Record<string, { properties?: Record<string, { enum: string[] }> }> } }
    ).configuration.properties;
    const perRule = properties['wasm-perf.rules']!.properties ?? {};
    const registered = new Set(RULES.map((rule) => rule.meta.id));
    for (const [id, schema] of Object.entries(perRule)) {
      assert.ok(registered.has(id), `wasm-perf.rules names ${id}, which is not a registered rule`);
      assert.deepEqual(schema.enum, ['off', 'info', 'warning', 'error']);
    }
    for (const id of registered) assert.ok(id in perRule, `rule ${id} has no entry under wasm-perf.rules in package.json`);
  });
});
