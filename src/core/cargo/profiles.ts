/**
 * The effective release profile of one crate, key by key, with where each value comes
 * from (facts §6.1–§6.3). For one key, the first match wins:
 *   `[profile.P.package.<crate>]` of P and then of each profile it inherits (config beats manifest),
 *   then `[profile.P]` of P and its parents: env CARGO_PROFILE_<P>_<KEY> > config (deeper first) > root manifest,
 *   then the built-in release defaults.
 * Only the workspace root manifest's profiles count.
 */
import type { FilePath } from '../model';
import type { ConfigLayer } from './config-chain';
import type { EffectiveProfile, ProfileSetting, ProfileValue, SettingSource } from './model';
import type { TomlDocument, TomlEntry } from './toml-document';

/** The release keys the rules read, with cargo's built-in release defaults (facts §6.1). */
export const RELEASE_DEFAULTS: ReadonlyMap<string, ProfileValue> = new Map<string, ProfileValue>([
  ['opt-level', 3],
  ['lto', false],
  ['codegen-units', 16],
  ['strip', 'none'],
  ['debug', false],
]);

/** Keys that `[profile.*.package.*]` overrides cannot set (facts §6.3). */
const NOT_OVERRIDABLE = new Set(['lto', 'panic', 'rpath']);
const BUILT_IN = new Set(['dev', 'release', 'test', 'bench', 'debug']);

interface ProfileSources {
  readonly manifest?: { readonly path: FilePath; readonly document: TomlDocument };
  /** Highest precedence first. */
  readonly configs: readonly ConfigLayer[];
  readonly env: Readonly<Record<string, string | undefined>>;
}

/** Release and every custom profile whose `inherits` chain reaches release. */
export function resolveReleaseProfiles(crateName: string, sources: ProfileSources): EffectiveProfile[] {
  const names = new Set<string>(['release']);
  for (const document of [sources.manifest?.document, ...sources.configs.map((c) => c.document)]) {
    for (const name of document?.childKeys(['profile']) ?? []) names.add(name);
  }
  const out: EffectiveProfile[] = [];
  for (const name of names) {
    if (name !== 'release' && BUILT_IN.has(name)) continue;
    const chain = inheritsChain(name, sources);
    if (chain[chain.length - 1] !== 'release') continue;
    out.push(resolveProfile(crateName, chain, sources));
  }
  return out;
}

function inheritsChain(name: string, sources: ProfileSources): string[] {
  const chain = [name];
  let current = name;
  while (!BUILT_IN.has(current) && chain.length < 16) {
    const inherits = lookupProfileLevel(current, 'inherits', sources)?.value;
    if (typeof inherits !== 'string' || chain.includes(inherits)) return chain; // cargo rejects such profiles
    chain.push(inherits);
    current = inherits;
  }
  return chain;
}

function resolveProfile(crateName: string, chain: readonly string[], sources: ProfileSources): EffectiveProfile {
  const settings = new Map<string, ProfileSetting>();
  for (const [key, fallback] of RELEASE_DEFAULTS) {
    settings.set(key, lookup(crateName, chain, key, sources) ?? { value: fallback, source: { kind: 'default' } });
  }
  let dependencyOptLevel: ProfileSetting | undefined;
  for (const profile of chain) {
    dependencyOptLevel ??= lookupFile(['profile', profile, 'package', '*', 'opt-level'], sources);
  }
  return { name: chain[0]!, chain, settings, ...(dependencyOptLevel ? { dependencyOptLevel } : {}) };
}

function lookup(crateName: string, chain: readonly string[], key: string, sources: ProfileSources): ProfileSetting | undefined {
  if (!NOT_OVERRIDABLE.has(key)) {
    for (const profile of chain) {
      const found = lookupFile(['profile', profile, 'package', crateName, key], sources);
      if (found) return found;
    }
  }
  for (const profile of chain) {
    const found = lookupProfileLevel(profile, key, sources);
    if (found) return found;
  }
  return undefined;
}

function lookupProfileLevel(profile: string, key: string, sources: ProfileSources): ProfileSetting | undefined {
  const envName = `CARGO_PROFILE_${profile.toUpperCase().replace(/-/g, '_')}_${key.toUpperCase().replace(/-/g, '_')}`;
  const envValue = sources.env[envName];
  if (envValue !== undefined) return { value: parseEnvValue(envValue), source: { kind: 'env', name: envName } };
  return lookupFile(['profile', profile, key], sources);
}

function lookupFile(path: readonly string[], sources: ProfileSources): ProfileSetting | undefined {
  for (const layer of sources.configs) {
    const entry = layer.document.get(path);
    if (entry) return settingOf(entry, layer.path, 'config');
  }
  const manifest = sources.manifest;
  const entry = manifest?.document.get(path);
  return entry && manifest ? settingOf(entry, manifest.path, 'manifest') : undefined;
}

function settingOf(entry: TomlEntry, file: FilePath, fileKind: 'manifest' | 'config'): ProfileSetting | undefined {
  const node = entry.node;
  if (node.type !== 'TOMLValue' || node.value instanceof Date) return undefined;
  const source: SettingSource = { kind: 'file', file, fileKind, keyPath: entry.path, keySpan: entry.keySpan, valueSpan: entry.valueSpan };
  return { value: node.value, source };
}

function parseEnvValue(value: string): ProfileValue {
  if (/^\d+$/.test(value)) return Number(value);
  if (value === 'true' || value === 'false') return value === 'true';
  return value;
}

/** `"s"`/`"z"` (how cargo spells size optimization). */
export function isSizeOptLevel(value: ProfileValue): boolean {
  return value === 's' || value === 'z';
}
