import { isSizeOptLevel } from '../cargo/profiles';
import { hasTemplatePlaceholders } from '../cargo/read-toml';
import {
  crateEvidence,
  crateLocation,
  groupByLocation,
  replaceValueFix,
  settingLocation,
  sourceEvidence,
  profileTunedWasmCrates,
  type WasmCrate,
} from '../cargo/rule-support';
import type { EffectiveProfile, ProfileSetting } from '../cargo/model';
import type { FileChange, FilePath, Fix, Location } from '../model';
import { relativeToRoot } from '../text/paths';
import type { WorkspaceModel } from '../workspace/model';
import type { Rule } from './rule';
import docs from './opt-level-size.md';

const CARGO_COMPONENT_BLOCK = new Map<string, unknown>([
  ['codegen-units', 1],
  ['opt-level', 's'],
  ['debug', false],
  ['strip', true],
  ['lto', true],
]);

export const optLevelSize: Rule = {
  meta: {
    id: 'opt-level-size',
    title: 'Release profile optimizes a wasm crate for size',
    category: 'build',
    defaultSeverity: 'warning',
    summary: 'The effective release profile (or a custom profile inheriting it) of a wasm crate uses opt-level "s" or "z".',
    docs,
    sources: [
      'https://github.com/rustwasm/wasm-pack-template/issues/27',
      'https://github.com/spinframework/spin/issues/2980',
      'https://github.com/bytecodealliance/cargo-component/pull/289',
      'https://github.com/bytecodealliance/cargo-component/pull/369',
      'https://github.com/wasm-bindgen/wasm-pack/blob/26fce478d35bb43965dfa7ecb862ab860afa34fb/wasm-pack-template/Cargo.toml',
      'https://doc.rust-lang.org/cargo/reference/profiles.html',
    ],
    fix: 'unsafe',
    measurable: true,
  },
  check(context) {
    const hits: {
      location: Location;
      item: {
        wasm: WasmCrate;
        profile: EffectiveProfile;
        setting: ProfileSetting;
        dependencies: boolean;
        alsoDependencies?: ProfileSetting;
      };
    }[] = [];
    for (const wasm of profileTunedWasmCrates(context.workspace)) {
      for (const profile of wasm.build.profiles) {
        const setting = profile.settings.get('opt-level');
        const dependencySetting = profile.dependencyOptLevel;
        const dependenciesForSize = dependencySetting && isSizeOptLevel(dependencySetting.value) ? dependencySetting : undefined;
        if (setting && isSizeOptLevel(setting.value)) {
          // `[profile.release.package."*"]` repeating the crate's value is the same decision: one finding, one fix for
          // both. A different value there is a choice of its own (and may be silenced on its own line).
          hits.push({
            location: settingLocation(setting.source) ?? crateLocation(wasm.crate),
            item: {
              wasm,
              profile,
              setting,
              dependencies: false,
              ...(dependenciesForSize?.value === setting.value ? { alsoDependencies: dependenciesForSize } : {}),
            },
          });
        }
        if (dependenciesForSize && dependenciesForSize.value !== setting?.value) {
          hits.push({
            location: settingLocation(dependenciesForSize.source) ?? crateLocation(wasm.crate),
            item: { wasm, profile, setting: dependenciesForSize, dependencies: true },
          });
        }
      }
    }
    for (const { location, items } of groupByLocation(hits)) {
      const { wasm, setting, dependencies, alsoDependencies } = items[0]!;
      const computes = items.some((i) => context.workspace.crateCode.get(i.wasm.crate.manifestPath)?.dataParallel.length);
      if (!computes && !isCopiedByOthers(context.workspace, location.file, wasm)) continue;
      const profiles = [...new Set(items.map((i) => i.profile.name))];
      const crates = [...new Map(items.map((i) => [i.wasm.crate.manifestPath, i.wasm.crate])).values()];
      const what = dependencies
        ? 'every dependency'
        : profiles.length === 1 && profiles[0] === 'release'
          ? 'the release profile'
          : `profile ${profiles.map((p) => `"${p}"`).join(', ')}`;
      const fix = mergedFix(
        [setting, ...(alsoDependencies ? [alsoDependencies] : [])].map((s) =>
          replaceValueFix('Use opt-level = 3', s.source, wasm.model, { toml: '3' }, 'unsafe'),
        ),
        alsoDependencies ? 'Use opt-level = 3 for the crate and its dependencies' : undefined,
      );
      const fromTemplate = isCargoComponentBlock(wasm);
      const dependencyLocation = alsoDependencies && settingLocation(alsoDependencies.source);
      context.report({
        message: `opt-level = ${JSON.stringify(setting.value)} optimizes ${what}${alsoDependencies ? ' and every dependency' : ''} of a wasm crate for size, ${computes ? 'which slows its loops' : 'which projects started from it inherit'}`,
        location,
        detail: [
          fromTemplate ? 'This [profile.release] block is the one cargo-component 0.12–0.20 generated; 0.21 removed it.' : undefined,
          'Use opt-level = 3 unless download size matters more than speed.',
        ]
          .filter(Boolean)
          .join(' '),
        evidence: [
          sourceEvidence('opt-level', setting),
          ...(dependencyLocation
            ? [{ message: `opt-level = ${JSON.stringify(alsoDependencies.value)} for every dependency`, location: dependencyLocation }]
            : []),
          ...crateEvidence(crates),
          ...(wasm.crate.wasm?.reasons.slice(0, 2) ?? []),
        ],
        fixes: fix ? [fix] : [],
      });
    }
  },
};

/** One fix out of several value replacements (all must be possible), with their edits per file. */
function mergedFix(fixes: readonly (Fix | undefined)[], title: string | undefined): Fix | undefined {
  if (fixes.length === 0 || fixes.some((fix) => !fix)) return undefined;
  const [first] = fixes as Fix[];
  if (fixes.length === 1) return first;
  const edits = new Map<string, FileChange['edits'][number][]>();
  for (const change of (fixes as Fix[]).flatMap((fix) => fix.changes))
    edits.set(change.file, [...(edits.get(change.file) ?? []), ...change.edits]);
  return { ...first!, ...(title ? { title } : {}), changes: [...edits].map(([file, list]) => ({ file, edits: list })) };
}

const STARTER_DIRECTORY = /^(?:examples?|templates?)$/i;

/**
 * A manifest others start from: one under an `examples`/`templates` directory, or a
 * cargo-generate template. Its size setting spreads into every project copied from it, which is
 * how the pitfall reached Spin's users (Spin issue 2980), whatever the template's own code does.
 */
function isCopiedByOthers(workspace: WorkspaceModel, file: FilePath, { model }: WasmCrate): boolean {
  const inWorkspace = relativeToRoot(workspace.roots, file).split('/').slice(0, -1);
  if (inWorkspace.some((segment) => STARTER_DIRECTORY.test(segment))) return true;
  return hasTemplatePlaceholders(model.documents.get(file)?.text ?? '');
}

function isCargoComponentBlock({ crate, model }: WasmCrate): boolean {
  const release = model.documents.get(crate.workspaceRoot)?.value(['profile', 'release']);
  if (!release || typeof release !== 'object' || Array.isArray(release) || release instanceof Date) return false;
  const keys = Object.keys(release);
  return keys.length === CARGO_COMPONENT_BLOCK.size && keys.every((key) => CARGO_COMPONENT_BLOCK.get(key) === release[key]);
}
