import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { globError, globToRegExp, matchesAny } from '../../src/core/text/glob';

describe('globs', () => {
  it('matches **, *, ?, character classes, alternatives and dotfiles', () => {
    const cases: [string, string, boolean][] = [
      ['target/**', 'target/wasm32-wasip1/release/a.wasm', true],
      ['**/testdata/**', 'internal/x/testdata/a.wasm', true],
      ['crates/*', 'crates/a', true],
      ['crates/*', 'crates/a/b', false],
      ['crate?', 'crate1', true],
      ['[ab]/x', 'a/x', true],
      ['[ab]/x', 'c/x', false],
      // Like micromatch, a class also matches a directory literally named '[ab]'.
      ['[ab]/x', '[ab]/x', true],
      ['{src,lib}/*.rs', 'lib/main.rs', true],
      ['*.wasm', '.hidden.wasm', true],
    ];
    for (const [glob, path, expected] of cases) assert.equal(globToRegExp(glob).test(path), expected, `${glob} ~ ${path}`);
  });

  it('matches a path when one of its parent directories matches', () => {
    assert.equal(matchesAny('vendored/wasmtime/src/lib.rs', [globToRegExp('vendored')]), true);
    assert.equal(matchesAny('src/vendored.rs', [globToRegExp('vendored')]), false);
  });

  it('says why an unbalanced pattern is invalid instead of matching nothing or crashing', () => {
    assert.match(globError('target/{a') ?? '', /Missing closing: "\}"/);
    assert.match(globError('x/[a') ?? '', /Missing closing: "\]"/);
    assert.equal(globError('target/{a,b}/**'), undefined);
    assert.throws(() => globToRegExp('target/{a'));
  });
});

describe('exclude settings in the engine', () => {
  it('ignores an invalid exclude pattern with a notice that says why, and applies the valid ones', async () => {
    const { mkdtempSync, mkdirSync, writeFileSync } = await import('node:fs');
    const { tmpdir } = await import('node:os');
    const { join } = await import('node:path');
    const { Analyzer } = await import('../../src/core/engine');
    const { toEnginePath } = await import('../../src/node/node-host');
    const { overlayHost, testAssets } = await import('../helpers/hosts');
    const root = mkdtempSync(join(tmpdir(), 'wasm-perf-glob-'));
    mkdirSync(join(root, 'skipped'));
    writeFileSync(join(root, 'Cargo.toml'), '[package]\nname = "a"\n');
    writeFileSync(join(root, 'skipped/Cargo.toml'), '[package]\nname = "b"\n');
    const result = await new Analyzer(overlayHost(new Map()), { exclude: ['target/{a', 'skip*'] }, testAssets()).analyze([
      toEnginePath(root),
    ]);
    assert.deepEqual(result.model.files.manifests, [`${toEnginePath(root)}/Cargo.toml`]);
    assert.equal(result.notices.length, 1);
    assert.match(result.notices[0]!.message, /exclude pattern 'target\/\{a' ignored: Missing closing/);
  });
});
