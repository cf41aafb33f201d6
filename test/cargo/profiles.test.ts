import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { ConfigLayer } from '../../src/core/cargo/config-chain';
import type { EffectiveProfile, SettingSource } from '../../src/core/cargo/model';
import { resolveReleaseProfiles } from '../../src/core/cargo/profiles';
import { parseTomlDocument, type TomlDocument } from '../../src/core/cargo/toml-document';

function doc(text: string): TomlDocument {
  const result = parseTomlDocument(text);
  if (!result.ok) throw new Error(result.error.message);
  return result.document;
}

const layer = (path: string, text: string): ConfigLayer => ({ path, document: doc(text) });

function resolve(
  manifest: string,
  configs: ConfigLayer[] = [],
  env: Record<string, string> = {},
  crate = 'app',
): Map<string, EffectiveProfile> {
  const profiles = resolveReleaseProfiles(crate, { manifest: { path: '/w/Cargo.toml', document: doc(manifest) }, configs, env });
  return new Map(profiles.map((p) => [p.name, p]));
}

/** The value and the text its source span covers. */
function origin(profile: EffectiveProfile | undefined, key: string, texts: Record<string, string>): [unknown, string] {
  const setting = profile?.settings.get(key);
  assert.ok(setting, `${key} resolved`);
  const source: SettingSource = setting.source;
  if (source.kind === 'file') return [setting.value, texts[source.file]!.slice(source.valueSpan.start, source.valueSpan.end)];
  return [setting.value, source.kind === 'env' ? source.name : 'default'];
}

describe('release profile resolution', () => {
  it('uses the built-in defaults when nothing is set', () => {
    const release = resolve('[package]\nname = "app"\n').get('release');
    assert.deepEqual(origin(release, 'opt-level', {}), [3, 'default']);
    assert.deepEqual(origin(release, 'codegen-units', {}), [16, 'default']);
    assert.deepEqual(origin(release, 'lto', {}), [false, 'default']);
  });

  it('lets config beat the manifest, the deeper config beat the outer one, and env beat both', () => {
    const manifest = '[profile.release]\nopt-level = "s"\nlto = true\ncodegen-units = 4\n';
    const deep = '[profile.release]\nopt-level = 2\n';
    const outer = '[profile.release]\nopt-level = 1\ncodegen-units = 8\n';
    const texts = { '/w/Cargo.toml': manifest, '/w/.cargo/config.toml': deep, '/.cargo/config.toml': outer };
    const configs = [layer('/w/.cargo/config.toml', deep), layer('/.cargo/config.toml', outer)];
    const release = resolve(manifest, configs).get('release');
    assert.deepEqual(origin(release, 'opt-level', texts), [2, '2']);
    assert.deepEqual(origin(release, 'codegen-units', texts), [8, '8']);
    assert.deepEqual(origin(release, 'lto', texts), [true, 'true']);
    const withEnv = resolve(manifest, configs, { CARGO_PROFILE_RELEASE_OPT_LEVEL: 'z', CARGO_PROFILE_RELEASE_LTO: 'false' }).get('release');
    assert.deepEqual(origin(withEnv, 'opt-level', texts), ['z', 'CARGO_PROFILE_RELEASE_OPT_LEVEL']);
    assert.deepEqual(origin(withEnv, 'lto', texts), [false, 'CARGO_PROFILE_RELEASE_LTO']);
  });

  it('applies package overrides for the crate, above env, but never for lto', () => {
    const manifest =
      '[profile.release]\nopt-level = 3\n[profile.release.package.app]\nopt-level = "z"\nlto = true\n[profile.release.package.other]\nopt-level = 1\n';
    const texts = { '/w/Cargo.toml': manifest };
    const release = resolve(manifest, [], { CARGO_PROFILE_RELEASE_OPT_LEVEL: '2' }).get('release');
    assert.deepEqual(origin(release, 'opt-level', texts), ['z', '"z"']);
    assert.deepEqual(origin(release, 'lto', texts), [false, 'default']);
  });

  it('reports "*" overrides as the dependencies\' opt-level, not the crate\'s', () => {
    const manifest = '[profile.release.package."*"]\nopt-level = "s"\n';
    const release = resolve(manifest).get('release')!;
    assert.equal(release.settings.get('opt-level')?.value, 3);
    assert.equal(release.dependencyOptLevel?.value, 's');
  });

  it('follows inherits chains to release and skips profiles built on dev', () => {
    const manifest = [
      '[profile.release]',
      'codegen-units = 1',
      '[profile.small]',
      'inherits = "release"',
      'opt-level = "z"',
      '[profile.small-debug]',
      'inherits = "small"',
      'debug = true',
      '[profile.quick]',
      'inherits = "dev"',
      'opt-level = "s"',
      '[profile.loop-a]',
      'inherits = "loop-b"',
      '[profile.loop-b]',
      'inherits = "loop-a"',
    ].join('\n');
    const profiles = resolve(manifest);
    assert.deepEqual([...profiles.keys()].sort(), ['release', 'small', 'small-debug']);
    assert.deepEqual(profiles.get('small-debug')?.chain, ['small-debug', 'small', 'release']);
    assert.equal(profiles.get('small-debug')?.settings.get('opt-level')?.value, 'z');
    assert.equal(profiles.get('small-debug')?.settings.get('codegen-units')?.value, 1);
    assert.equal(profiles.get('small-debug')?.settings.get('debug')?.value, true);
  });

  it('reads custom profiles defined only in config and their env overrides', () => {
    const config = '[profile.bench-size]\ninherits = "release"\n';
    const profiles = resolve('[package]\nname = "app"\n', [layer('/w/.cargo/config.toml', config)], {
      CARGO_PROFILE_BENCH_SIZE_OPT_LEVEL: 's',
    });
    assert.deepEqual(origin(profiles.get('bench-size'), 'opt-level', {}), ['s', 'CARGO_PROFILE_BENCH_SIZE_OPT_LEVEL']);
  });
});
