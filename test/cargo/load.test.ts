import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, readFileSync, realpathSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { after, describe, it } from 'node:test';
import { Analyzer, type AnalysisResult } from '../../src/core/engine';
import { applyEdits } from '../../src/core/fix/apply';
import { toEnginePath } from '../../src/node/node-host';
import { overlayHost, testAssets } from '../helpers/hosts';
import { withKernels } from '../helpers/kernel-source';

const temp = realpathSync(mkdtempSync(join(tmpdir(), 'wasm-perf-cargo-')));
after(() => rmSync(temp, { recursive: true, force: true }));
let counter = 0;

function workspace(files: Record<string, string | Uint8Array>): string {
  const root = join(temp, `ws${counter++}`);
  for (const [path, content] of Object.entries(withKernels(files))) {
    mkdirSync(dirname(join(root, path)), { recursive: true });
    writeFileSync(join(root, path), content);
  }
  return toEnginePath(root);
}

function analyze(roots: string[], env: Record<string, string> = {}): Promise<AnalysisResult> {
  return new Analyzer(overlayHost(new Map(), { env }), {}, testAssets()).analyze(roots);
}

const rules = (result: AnalysisResult, id: string) => result.findings.filter((f) => f.ruleId === id);

const WASM_CRATE = '[package]\nname = "app"\nversion = "0.1.0"\n\n[lib]\ncrate-type = ["cdylib"]\n\n[dependencies]\nwasm-bindgen = "0.2"\n';
const SIMD_CONFIG = '[target.wasm32-unknown-unknown]\nrustflags = ["-C", "target-feature=+simd128"]\n';

describe('cargo loader', () => {
  it('reads config files in parent directories outside the analysed root', async () => {
    const root = workspace({ '.cargo/config.toml': SIMD_CONFIG, 'projects/app/Cargo.toml': WASM_CRATE });
    const result = await analyze([`${root}/projects/app`]);
    assert.deepEqual(rules(result, 'missing-simd128'), []);
    const build = result.model.cargo.build?.builds.get(`${root}/projects/app/Cargo.toml`);
    assert.deepEqual(build?.configs, [`${root}/.cargo/config.toml`]);
  });

  it('reads $CARGO_HOME/config.toml with the lowest precedence and follows include', async () => {
    const root = workspace({
      'home/config.toml': '[build]\nrustflags = ["-C", "target-feature=+simd128"]\n[profile.release]\nopt-level = "s"\n',
      'ws/.cargo/config.toml': 'include = "extra.toml"\n[profile.release]\nopt-level = 3\n',
      'ws/.cargo/extra.toml': '[build]\nrustflags = ["-C", "link-arg=--export-table"]\n',
      'ws/Cargo.toml': WASM_CRATE,
    });
    const result = await analyze([`${root}/ws`], { CARGO_HOME: `${root}/home` });
    const build = result.model.cargo.build?.builds.get(`${root}/ws/Cargo.toml`);
    assert.deepEqual(build?.configs, [`${root}/ws/.cargo/config.toml`, `${root}/ws/.cargo/extra.toml`, `${root}/home/config.toml`]);
    assert.deepEqual(build?.rustflags[0]?.flags, ['-C', 'target-feature=+simd128', '-C', 'link-arg=--export-table']);
    assert.deepEqual(rules(result, 'missing-simd128'), []);
    assert.deepEqual(rules(result, 'opt-level-size'), []);
  });

  it('falls back to $HOME/.cargo when CARGO_HOME is unset', async () => {
    const root = workspace({ 'user/.cargo/config.toml': SIMD_CONFIG, 'ws/Cargo.toml': WASM_CRATE });
    const result = await analyze([`${root}/ws`], { HOME: `${root}/user` });
    assert.deepEqual(rules(result, 'missing-simd128'), []);
  });

  it('resolves workspace roots through members globs, exclude and package.workspace', async () => {
    const root = workspace({
      'Cargo.toml': '[workspace]\nmembers = ["crates/*"]\nexclude = ["crates/solo"]\n',
      'crates/a/Cargo.toml': '[package]\nname = "a"\n',
      'crates/solo/Cargo.toml': '[package]\nname = "solo"\n',
      'elsewhere/b/Cargo.toml': '[package]\nname = "b"\nworkspace = "../.."\n',
      'elsewhere/c/Cargo.toml': '[package]\nname = "c"\n',
    });
    const result = await analyze([root]);
    const rootOf = new Map(result.model.cargo.crates.map((c) => [c.name, c.workspaceRoot]));
    assert.equal(rootOf.get('a'), `${root}/Cargo.toml`);
    assert.equal(rootOf.get('solo'), `${root}/crates/solo/Cargo.toml`);
    assert.equal(rootOf.get('b'), `${root}/Cargo.toml`);
    assert.equal(rootOf.get('c'), `${root}/elsewhere/c/Cargo.toml`);
  });

  it('records why a crate builds for wasm and which target, and leaves native crates alone', async () => {
    const root = workspace({
      'Cargo.toml': '[workspace]\nmembers = ["*"]\n',
      'component/Cargo.toml':
        '[package]\nname = "component"\n[lib]\ncrate-type = ["cdylib"]\n[dependencies]\nwit-bindgen-rt = "0.24"\n[package.metadata.component]\npackage = "x:y"\n',
      'toolchain-guest/Cargo.toml': '[package]\nname = "toolchain-guest"\n[lib]\ncrate-type = ["cdylib"]\n',
      'native/Cargo.toml': '[package]\nname = "native"\n[dependencies]\nwasmtime = "48"\n',
      'rust-toolchain.toml': '[toolchain]\nchannel = "1.90"\ntargets = ["wasm32-wasip2", "x86_64-unknown-linux-gnu"]\n',
    });
    const result = await analyze([root]);
    const byName = new Map(result.model.cargo.crates.map((c) => [c.name, c]));
    assert.deepEqual(byName.get('component')?.wasm?.targets, ['wasm32-wasip2']);
    assert.ok(byName.get('component')?.wasm?.reasons.some((r) => /cargo-component/.test(r.message)));
    assert.deepEqual(byName.get('toolchain-guest')?.wasm?.targets, ['wasm32-wasip2']);
    assert.equal(byName.get('native')?.wasm, undefined);
    assert.ok(result.findings.every((f) => !f.location.file.endsWith('native/Cargo.toml')));
  });

  it('recognises wasm crates by target-specific dependency tables and wasm-pack metadata sub-tables', async () => {
    const root = workspace({
      'Cargo.toml': '[workspace]\nmembers = ["*"]\n',
      'guest/Cargo.toml':
        '[package]\nname = "guest"\n\n[lib]\ncrate-type = ["cdylib"]\n\n[target.wasm32-wasip1.dependencies]\nwasi = "0.13"\n',
      'pack/Cargo.toml': '[package]\nname = "pack"\n\n[package.metadata.wasm-pack.profile.release]\nwasm-opt = false\n',
    });
    const result = await analyze([root]);
    const byName = new Map(result.model.cargo.crates.map((c) => [c.name, c]));
    const guest = byName.get('guest')?.wasm;
    assert.deepEqual(guest?.targets, ['wasm32-wasip1']);
    const guestText = readFileSync(join(root, 'guest/Cargo.toml'), 'utf8');
    const span = guest?.reasons[0]?.location?.span;
    assert.equal(span && guestText.slice(span.start, span.end), '[target.wasm32-wasip1.dependencies]');
    assert.deepEqual(byName.get('pack')?.wasm?.targets, ['wasm32-unknown-unknown']);
  });

  it('does not take a library for a wasm crate: only a cdylib or a crate cargo is told to build for wasm links one', async () => {
    const library =
      '[package]\nname = "lib"\n\n[target.\'cfg(target_arch = "wasm32")\'.dependencies]\nwasm-bindgen = "0.2"\n\n[target.wasm32-wasip1.dependencies]\nwasi = "0.13"\n';
    const root = workspace({ 'Cargo.toml': `${library}\n[profile.release]\nopt-level = "s"\n` });
    const result = await analyze([root]);
    assert.equal(result.model.cargo.crates[0]?.wasm, undefined);
    assert.deepEqual(
      result.findings.map((f) => f.ruleId),
      [],
      'a workspace of libraries gets no profile or rustflags findings',
    );
    const built = await analyze([root], { CARGO_BUILD_TARGET: 'wasm32-wasip1' });
    assert.ok(
      built.findings.some((f) => f.ruleId === 'opt-level-size'),
      'the same crate built for wasm is judged',
    );
  });

  it('takes a cdylib a Makefile builds for wasm for a wasm crate, but not a library the same command builds', async () => {
    const root = workspace({
      'Cargo.toml': '[workspace]\nmembers = ["codec", "sdk"]\n',
      'codec/Cargo.toml': '[package]\nname = "codec"\n\n[lib]\ncrate-type = ["cdylib"]\n',
      'sdk/Cargo.toml': '[package]\nname = "sdk"\n',
      Makefile: 'wasm:\n\tcargo build --release -p codec --target wasm32-wasip1\n\tcargo build -p sdk --target wasm32-unknown-unknown\n',
    });
    const result = await analyze([root]);
    const byName = new Map(result.model.cargo.crates.map((c) => [c.name, c]));
    assert.deepEqual(byName.get('codec')?.wasm?.targets, ['wasm32-wasip1']);
    assert.equal(byName.get('codec')?.wasm?.reasons[0]?.location?.file, `${root}/Makefile`);
    assert.equal(byName.get('sdk')?.wasm, undefined);
  });

  it('skips cargo-generate templates with a notice instead of a syntax error, and test-fixture crates', async () => {
    const root = workspace({
      'Cargo.toml': '[workspace]\nmembers = ["template", "tests/fixtures/guest"]\n',
      'template/Cargo.toml':
        '[package]\nname = "{{project-name}}"\nedition = "2021"\n{% if wasi %}\n[lib]\ncrate-type = ["cdylib"]\n{% endif %}\n',
      'tests/fixtures/guest/Cargo.toml': `${WASM_CRATE.replace('name = "', 'name = "fixture-')}`,
    });
    const result = await analyze([root]);
    assert.deepEqual(
      result.findings.map((f) => `${f.ruleId} ${f.location.file.slice(root.length + 1)}`),
      [],
    );
    assert.ok(
      result.notices.some(
        (n) => n.file.endsWith('template/Cargo.toml') && /template with \{\{ \}\} or \{% %\} placeholders/.test(n.message),
      ),
    );
  });

  it('adds +simd128 to [build] rustflags when only CARGO_BUILD_RUSTFLAGS is set', async () => {
    const root = workspace({ 'Cargo.toml': WASM_CRATE });
    const [finding] = rules(await analyze([root], { CARGO_BUILD_RUSTFLAGS: '-D warnings' }), 'missing-simd128');
    const change = finding?.fixes.find((f) => f.preferred)?.changes[0];
    assert.equal(change?.file, `${root}/.cargo/config.toml`);
    assert.equal(change?.edits[0]?.newText, '[build]\nrustflags = ["-C", "target-feature=+simd128"]\n');
  });

  it('offers to delete an ignored member profile only when its tables can be cut cleanly', async () => {
    const member =
      '[package]\nname = "m"\n\n# tuned for size\n[profile.release]\nopt-level = "s"\n\n[profile.release.package.m]\ndebug = 1\n\n[dependencies]\nserde = "1"\n';
    const root = workspace({
      'Cargo.toml': '[workspace]\nmembers = ["m", "n"]\n',
      'm/Cargo.toml': member,
      'n/Cargo.toml': 'profile.release.lto = true\n[package]\nname = "n"\n',
    });
    const findings = rules(await analyze([root]), 'profile-ignored');
    assert.equal(findings.length, 2);
    const [inM, inN] = [
      findings.find((f) => f.location.file.endsWith('m/Cargo.toml')),
      findings.find((f) => f.location.file.endsWith('n/Cargo.toml')),
    ];
    assert.equal(inN?.fixes.length, 0);
    const removal = inM?.fixes[0];
    assert.equal(removal?.preferred, undefined);
    const fixed = applyEdits(member, removal!.changes[0]!.edits);
    assert.equal(fixed, '[package]\nname = "m"\n\n# tuned for size\n\n[dependencies]\nserde = "1"\n');
  });

  it('names the cargo-component 0.12–0.20 template block', async () => {
    const root = workspace({
      'Cargo.toml':
        '[package]\nname = "c"\n[lib]\ncrate-type = ["cdylib"]\n[package.metadata.component]\npackage = "x:y"\n[profile.release]\ncodegen-units = 1\nopt-level = "s"\ndebug = false\nstrip = true\nlto = true\n',
    });
    const [finding] = rules(await analyze([root]), 'opt-level-size');
    assert.match(finding?.detail ?? '', /cargo-component 0\.12–0\.20/);
  });

  it('uses the cargo-component default target when nothing names one', async () => {
    const root = workspace({
      'Cargo.toml': '[package]\nname = "c"\n[lib]\ncrate-type = ["cdylib"]\n[package.metadata.component]\npackage = "x:y"\n',
    });
    const result = await analyze([root]);
    assert.deepEqual(result.model.cargo.crates[0]?.wasm?.targets, ['wasm32-wasip1']);
  });

  it('stays silent about simd128 for a wasmi host without the simd feature, and not with it', async () => {
    const files = (features: string) => ({
      'Cargo.toml': '[workspace]\nmembers = ["host", "plugin"]\n',
      'host/Cargo.toml': `[package]\nname = "host"\n[dependencies]\nwasmi = { version = "0.40", features = [${features}] }\n`,
      'plugin/Cargo.toml': '[package]\nname = "plugin"\n[lib]\ncrate-type = ["cdylib"]\n',
      'plugin/.cargo/config.toml': '[build]\ntarget = "wasm32-unknown-unknown"\n',
    });
    const without = await analyze([workspace(files('"std"'))]);
    assert.deepEqual(rules(without, 'missing-simd128'), []);
    assert.ok(without.model.cargo.crates.find((c) => c.name === 'plugin')?.wasm, 'plugin builds for wasm');
    const withSimd = await analyze([workspace(files('"std", "simd"'))]);
    assert.equal(rules(withSimd, 'missing-simd128').length, 1);
  });

  it('answers locked versions from the nearest Cargo.lock', async () => {
    const root = workspace({
      'Cargo.toml': '[package]\nname = "host"\n',
      'Cargo.lock':
        'version = 4\n\n[[package]]\nname = "wasmtime"\nversion = "48.0.0"\n\n[[package]]\nname = "wasmtime"\nversion = "36.0.2"\n',
    });
    const result = await analyze([root]);
    assert.deepEqual(result.model.cargo.lockedVersions(`${root}/src/main.rs`, 'wasmtime'), ['48.0.0', '36.0.2']);
    assert.deepEqual(result.model.cargo.lockedVersions(`${root}/src/main.rs`, 'wasmi'), []);
    assert.deepEqual(result.model.cargo.lockedVersions('/', 'wasmtime'), []);
  });

  it('locates the first bad byte of a non-UTF-8 manifest as a text offset', async () => {
    const prefix = '# caf\u00e9 \u2615\nname = "';
    const bytes = new Uint8Array([...new TextEncoder().encode(prefix), 0xff, 0x22, 0x0a]);
    const root = workspace({ 'Cargo.toml': bytes });
    const [finding] = rules(await analyze([root]), 'toml-syntax');
    assert.equal(finding?.location.span.start, prefix.length);
  });

  it('re-parses only the edited manifest on re-analysis', async () => {
    const root = workspace({
      'Cargo.toml': '[workspace]\nmembers = ["a", "b"]\n',
      'a/Cargo.toml': WASM_CRATE,
      'b/Cargo.toml': WASM_CRATE.replace('"app"', '"b"'),
    });
    const overlays = new Map<string, string>();
    const analyzer = new Analyzer(overlayHost(overlays), {}, testAssets());
    const first = await analyzer.analyze([root]);
    overlays.set(`${root}/a/Cargo.toml`, `${WASM_CRATE}\n[features]\nx = []\n`);
    const second = await analyzer.analyze([root]);
    const documents = (r: AnalysisResult, path: string) => r.model.cargo.build?.documents.get(`${root}/${path}`);
    assert.equal(documents(second, 'b/Cargo.toml'), documents(first, 'b/Cargo.toml'));
    assert.equal(documents(second, 'Cargo.toml'), documents(first, 'Cargo.toml'));
    assert.notEqual(documents(second, 'a/Cargo.toml'), documents(first, 'a/Cargo.toml'));
  });
});
