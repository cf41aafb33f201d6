/**
 * The cargo loader reuses each crate's derived results across analyses while all of their
 * inputs are unchanged. These tests edit one input at a time through the editor's path
 * (`changed: [file]`) and check that exactly the affected crates are derived again, and
 * that the result always equals a fresh analysis of the same files.
 */
import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, realpathSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { after, describe, it } from 'node:test';
import type { CrateBuild, CrateInfo } from '../../src/core/cargo/model';
import { Analyzer, type AnalysisResult } from '../../src/core/engine';
import { toEnginePath } from '../../src/node/node-host';
import { overlayHost, testAssets } from '../helpers/hosts';
import { KERNEL_LIB_RS } from '../helpers/kernel-source';

const temp = realpathSync(mkdtempSync(join(tmpdir(), 'wasm-perf-cargo-memo-')));
after(() => rmSync(temp, { recursive: true, force: true }));
let counter = 0;

const MEMBERS = ['a', 'b', 'c'];

function memberManifest(name: string): string {
  return `[package]\nname = "${name}"\nversion = "0.1.0"\n\n[lib]\ncrate-type = ["cdylib"]\n\n[dependencies]\nwasm-bindgen = "0.2"\n`;
}

const ROOT_MANIFEST = '[workspace]\nmembers = ["crates/*"]\nresolver = "2"\n\n[profile.release]\nopt-level = "s"\n';
const CONFIG =
  '[build]\ntarget = "wasm32-unknown-unknown"\n\n[target.wasm32-unknown-unknown]\nrustflags = ["-C", "link-arg=--export-table"]\n';

const TOOLCHAIN = '[toolchain]\nchannel = "stable"\n';

function workspace(overrides: Record<string, string> = {}): string {
  const root = join(temp, `ws${counter++}`);
  const files: Record<string, string> = { 'Cargo.toml': ROOT_MANIFEST, '.cargo/config.toml': CONFIG, 'rust-toolchain.toml': TOOLCHAIN };
  for (const name of MEMBERS) {
    files[`crates/${name}/Cargo.toml`] = memberManifest(name);
    files[`crates/${name}/src/lib.rs`] = KERNEL_LIB_RS;
  }
  Object.assign(files, overrides);
  for (const [path, text] of Object.entries(files)) {
    mkdirSync(dirname(join(root, path)), { recursive: true });
    writeFileSync(join(root, path), text);
  }
  return toEnginePath(root);
}

/** An editor session: one Analyzer over an overlay the test edits, plus a fresh analysis to compare with. */
function session(root: string, env: Record<string, string | undefined> = {}) {
  const overlays = new Map<string, string>();
  const analyzer = new Analyzer(overlayHost(overlays, { env }), {}, testAssets());
  return {
    analyze: () => analyzer.analyze([root]),
    edit: (path: string, text: string) => {
      overlays.set(path, text);
      return analyzer.analyze([root], { changed: [path] });
    },
    fresh: () => new Analyzer(overlayHost(new Map(overlays), { env: { ...env } }), {}, testAssets()).analyze([root]),
  };
}

/** Everything a user sees, without object identities. */
function summary(result: AnalysisResult): unknown {
  return {
    findings: result.findings.map((f) => ({
      ruleId: f.ruleId,
      severity: f.severity,
      file: f.location.file,
      span: f.location.span,
      message: f.message,
      detail: f.detail,
      evidence: f.evidence.map((e) => ({ message: e.message, location: e.location })),
      fixes: f.fixes,
    })),
    notices: result.notices,
    crates: result.model.cargo.crates.map((crate) => ({ ...crate, dependencies: [...crate.dependencies.values()] })),
    builds: [...(result.model.cargo.build?.builds.values() ?? [])].map((build) => ({
      ...build,
      profiles: build.profiles.map((p) => ({ ...p, settings: [...p.settings] })),
    })),
  };
}

function crateNamed(result: AnalysisResult, manifestPath: string): { crate: CrateInfo; build: CrateBuild } {
  const crate = result.model.cargo.crates.find((c) => c.manifestPath === manifestPath);
  const build = result.model.cargo.build?.builds.get(manifestPath);
  assert.ok(crate && build, `crate ${manifestPath} loaded`);
  return { crate, build };
}

const ids = (result: AnalysisResult, id: string) => result.findings.filter((f) => f.ruleId === id);

describe('cargo loader memoization', () => {
  it('an edit to one member manifest derives only that crate again', async () => {
    const root = workspace();
    const editor = session(root);
    const before = await editor.analyze();
    const edited = `${root}/crates/b/Cargo.toml`;
    const after = await editor.edit(edited, memberManifest('b').replace('name = "b"', 'name = "renamed"'));

    for (const name of ['a', 'c']) {
      const path = `${root}/crates/${name}/Cargo.toml`;
      assert.equal(crateNamed(after, path).crate, crateNamed(before, path).crate, `${name} is reused`);
      assert.equal(crateNamed(after, path).build, crateNamed(before, path).build, `${name}'s build is reused`);
    }
    assert.notEqual(crateNamed(after, edited).crate, crateNamed(before, edited).crate);
    assert.equal(crateNamed(after, edited).crate.name, 'renamed');
    assert.deepEqual(summary(after), summary(await editor.fresh()));
  });

  it("an edit to the root manifest's [profile.release] changes every crate's findings", async () => {
    const root = workspace();
    const editor = session(root);
    const before = await editor.analyze();
    assert.equal(ids(before, 'opt-level-size').length, 1);
    assert.equal(ids(before, 'opt-level-size')[0]!.evidence.filter((e) => e.message.startsWith('wasm crate')).length, MEMBERS.length);

    const after = await editor.edit(`${root}/Cargo.toml`, ROOT_MANIFEST.replace('opt-level = "s"', 'opt-level = 3'));
    assert.deepEqual(ids(after, 'opt-level-size'), []);
    for (const name of MEMBERS) {
      const release = crateNamed(after, `${root}/crates/${name}/Cargo.toml`).build.profiles.find((p) => p.name === 'release');
      assert.equal(release?.settings.get('opt-level')?.value, 3, name);
    }
    assert.deepEqual(summary(after), summary(await editor.fresh()));
  });

  it('an edit to the shared .cargo/config.toml changes every crate', async () => {
    const root = workspace();
    const editor = session(root);
    const before = await editor.analyze();
    assert.equal(ids(before, 'missing-simd128')[0]?.evidence.filter((e) => e.message.startsWith('wasm crate')).length, MEMBERS.length);

    const config = `${root}/.cargo/config.toml`;
    const after = await editor.edit(
      config,
      CONFIG.replace('"link-arg=--export-table"', '"link-arg=--export-table", "-C", "target-feature=+simd128"'),
    );
    assert.deepEqual(ids(after, 'missing-simd128'), []);
    for (const name of MEMBERS) {
      const { build } = crateNamed(after, `${root}/crates/${name}/Cargo.toml`);
      assert.ok(build.rustflags[0]?.flags.includes('target-feature=+simd128'), name);
    }
    // And a target change there moves every crate to the new target.
    const retargeted = await editor.edit(config, CONFIG.replaceAll('wasm32-unknown-unknown', 'wasm32-wasip1'));
    for (const name of MEMBERS) {
      assert.deepEqual(crateNamed(retargeted, `${root}/crates/${name}/Cargo.toml`).crate.wasm?.targets, ['wasm32-wasip1'], name);
    }
    assert.deepEqual(summary(retargeted), summary(await editor.fresh()));
  });

  it('a changed environment is respected by the same Analyzer and by a new one', async () => {
    const root = workspace();
    const env: Record<string, string | undefined> = {};
    const editor = session(root, env);
    const before = await editor.analyze();
    assert.equal(ids(before, 'opt-level-size').length, 1);

    env.CARGO_PROFILE_RELEASE_OPT_LEVEL = '3';
    env.RUSTFLAGS = '-C target-feature=+simd128';
    const after = await editor.analyze();
    assert.deepEqual(ids(after, 'opt-level-size'), []);
    assert.deepEqual(ids(after, 'missing-simd128'), []);
    const { build } = crateNamed(after, `${root}/crates/a/Cargo.toml`);
    assert.equal(build.rustflags[0]?.winner, 'RUSTFLAGS');
    assert.deepEqual(summary(after), summary(await editor.fresh()));

    const withNewHost = await new Analyzer(
      overlayHost(new Map(), { env: { CARGO_BUILD_TARGET: 'wasm32-wasip2' } }),
      {},
      testAssets(),
    ).analyze([root]);
    assert.deepEqual(crateNamed(withNewHost, `${root}/crates/a/Cargo.toml`).crate.wasm?.targets, ['wasm32-wasip2']);
  });

  it('a new toolchain or workspace membership reaches the crates below it', async () => {
    const root = workspace();
    const editor = session(root);
    await editor.analyze();
    // Excluding a member makes it its own workspace root: its profile then comes from its own manifest.
    const rootManifest = `${root}/Cargo.toml`;
    const after = await editor.edit(rootManifest, ROOT_MANIFEST.replace('resolver = "2"', 'resolver = "2"\nexclude = ["crates/c"]'));
    assert.equal(crateNamed(after, `${root}/crates/c/Cargo.toml`).crate.workspaceRoot, `${root}/crates/c/Cargo.toml`);
    assert.equal(crateNamed(after, `${root}/crates/a/Cargo.toml`).crate.workspaceRoot, rootManifest);
    assert.deepEqual(summary(after), summary(await editor.fresh()));

    // Without an explicit target, the toolchain's wasm targets decide.
    await editor.edit(`${root}/.cargo/config.toml`, CONFIG.replace('[build]\ntarget = "wasm32-unknown-unknown"\n', ''));
    const toolchain = await editor.edit(`${root}/rust-toolchain.toml`, `${TOOLCHAIN}targets = ["wasm32-wasip1"]\n`);
    for (const name of MEMBERS) {
      assert.deepEqual(crateNamed(toolchain, `${root}/crates/${name}/Cargo.toml`).crate.wasm?.targets, ['wasm32-wasip1'], name);
    }
    assert.deepEqual(summary(toolchain), summary(await editor.fresh()));
  });

  it('each kind of edit to one member manifest re-analyses to what a cold analysis finds', async () => {
    // A crate nested in b's directory: outside the root's members, it is its own root until b says otherwise.
    const root = workspace({ 'crates/b/inner/Cargo.toml': memberManifest('inner'), 'crates/b/inner/src/lib.rs': KERNEL_LIB_RS });
    const editor = session(root);
    await editor.analyze();
    const manifest = `${root}/crates/b/Cargo.toml`;
    const edits = [
      // A kernel library dependency, a feature table, a native crate type, a broken file, and back.
      memberManifest('b').replace('wasm-bindgen = "0.2"', 'wasm-bindgen = "0.2"\nndarray = "0.16"'),
      `${memberManifest('b')}\n[features]\nfast = []\n`,
      memberManifest('b').replace('["cdylib"]', '["rlib"]'),
      memberManifest('b').replace('[lib]', '[lib'),
      // It becomes a workspace with the nested crate as a member (the nested crate's root changes), then one without.
      `${memberManifest('b')}\n[workspace]\nmembers = ["inner"]\n`,
      memberManifest('b'),
      `${memberManifest('b')}\n[workspace]\n`,
      memberManifest('b'),
    ];
    for (const text of edits) {
      const after = await editor.edit(manifest, text);
      assert.deepEqual(summary(after), summary(await editor.fresh()), text);
    }
  });

  it("a kernel loop added to a crate's lib.rs reaches missing-simd128 on re-analysis", async () => {
    const root = workspace({ 'crates/a/src/lib.rs': 'pub fn answer() -> u32 {\n    42\n}\n' });
    const editor = session(root);
    const lib = `${root}/crates/a/src/lib.rs`;
    const evidenceFiles = (result: AnalysisResult) =>
      ids(result, 'missing-simd128').flatMap((f) => f.evidence.flatMap((e) => (e.location ? [e.location.file] : [])));
    const before = await editor.analyze();
    assert.equal(evidenceFiles(before).includes(lib), false, 'no loop in a yet');
    assert.ok(evidenceFiles(before).includes(`${root}/crates/b/src/lib.rs`), 'b has its kernel');

    const after = await editor.edit(lib, KERNEL_LIB_RS);
    assert.ok(evidenceFiles(after).includes(lib), 'the new loop is evidence');
    assert.ok(
      ids(after, 'missing-simd128')[0]?.evidence.some((e) => e.message === 'wasm crate a'),
      'crate a is named by the finding',
    );
    assert.deepEqual(summary(after), summary(await editor.fresh()));

    // And taking it out again is seen too.
    const removed = await editor.edit(lib, 'pub fn answer() -> u32 {\n    42\n}\n');
    assert.equal(evidenceFiles(removed).includes(lib), false);
    assert.deepEqual(summary(removed), summary(await editor.fresh()));
  });
});
