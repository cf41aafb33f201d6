/** Shared pieces of the cargo rules: which crates to check, where to point, and value edits. */
import type { Evidence, Fix, FixApplicability, Location, Span } from '../model';
import type { WorkspaceModel } from '../workspace/model';
import type { CargoBuildModel, CrateBuild, CrateInfo, ProfileSetting, SettingSource } from './model';
import { stringLiteral } from './toml-document';

export interface WasmCrate {
  readonly crate: CrateInfo;
  readonly build: CrateBuild;
  readonly model: CargoBuildModel;
}

/** Crates that build for wasm, with their effective settings (test code only when tests are included). */
export function wasmCrates(workspace: WorkspaceModel): readonly WasmCrate[] {
  const model = workspace.cargo.build;
  if (!model) return [];
  const out: WasmCrate[] = [];
  for (const crate of workspace.cargo.crates) {
    const build = model.builds.get(crate.manifestPath);
    if (crate.wasm && build && (workspace.includeTests || !build.testCode)) out.push({ crate, build, model });
  }
  return out;
}

/**
 * The wasm crates whose release profile is theirs to tune: not a member of a workspace whose
 * root package is a native program (wasmtime's CLI, a host with a guest crate beside it), where
 * the root's [profile.release] is set for that program and a wasm-only trade-off would be wrong.
 */
export function profileTunedWasmCrates(workspace: WorkspaceModel): readonly WasmCrate[] {
  const byManifest = new Map(workspace.cargo.crates.map((crate) => [crate.manifestPath, crate]));
  return wasmCrates(workspace).filter(({ crate }) => {
    const root = byManifest.get(crate.workspaceRoot);
    return root === undefined || root === crate || root.wasm !== undefined;
  });
}

/** Where to point when the cause is not in a file: the first reason in the manifest, else the package name. */
export function crateLocation(crate: CrateInfo): Location {
  const reason = crate.wasm?.reasons.find((r) => r.location?.file === crate.manifestPath)?.location;
  if (reason) return reason;
  return { file: crate.manifestPath, span: crate.nameSpan ?? { start: 0, end: 0 } };
}

/** The value's location when the setting is written in a file. */
export function settingLocation(source: SettingSource): Location | undefined {
  return source.kind === 'file' ? { file: source.file, span: source.valueSpan } : undefined;
}

/** `[profile.release]` in the workspace root manifest, or the root's `[workspace]`/package name. */
export function rootProfileLocation(crate: CrateInfo, model: CargoBuildModel): Location {
  const document = model.documents.get(crate.workspaceRoot);
  const span =
    document?.table(['profile', 'release'])?.span ??
    document?.get(['profile', 'release'])?.keySpan ??
    document?.table(['workspace'])?.span ??
    document?.get(['package', 'name'])?.valueSpan;
  if (span) return { file: crate.workspaceRoot, span };
  return crateLocation(crate);
}

export function describeSource(source: SettingSource): string {
  switch (source.kind) {
    case 'default':
      return "cargo's built-in release default";
    case 'env':
      return `${source.name} in the environment`;
    case 'file':
      return `\`${source.keyPath.join('.')}\``;
  }
}

export function sourceEvidence(key: string, setting: ProfileSetting): Evidence {
  const location = settingLocation(setting.source);
  return { message: `${key} = ${JSON.stringify(setting.value)} from ${describeSource(setting.source)}`, ...(location ? { location } : {}) };
}

/** The crates a finding applies to, each pointing at its package name. */
export function crateEvidence(crates: readonly CrateInfo[]): Evidence[] {
  return crates.map((crate) => ({
    message: `wasm crate ${crate.name}`,
    location: { file: crate.manifestPath, span: crate.nameSpan ?? { start: 0, end: 0 } },
  }));
}

/** A fix that replaces a setting's value where it is written; `value` is TOML text or a string to quote. */
export function replaceValueFix(
  title: string,
  source: SettingSource,
  model: CargoBuildModel,
  value: { toml: string } | { string: string },
  applicability: FixApplicability,
): Fix | undefined {
  if (source.kind !== 'file') return undefined;
  const document = model.documents.get(source.file);
  const node = document?.get(source.keyPath)?.node;
  const newText = 'toml' in value ? value.toml : stringLiteral(value.string, node);
  return {
    title,
    preferred: true,
    applicability,
    changes: [{ file: source.file, edits: [{ start: source.valueSpan.start, end: source.valueSpan.end, newText }] }],
  };
}

/** A fix that adds `key = value` to `[profile.release]` of the workspace root manifest. */
export function insertReleaseKeyFix(
  title: string,
  crate: CrateInfo,
  model: CargoBuildModel,
  key: string,
  valueText: string,
  applicability: FixApplicability,
): Fix | undefined {
  const document = model.documents.get(crate.workspaceRoot);
  const edit = document?.insertKey(['profile', 'release'], key, valueText);
  if (!edit) return undefined;
  return { title, preferred: true, applicability, changes: [{ file: crate.workspaceRoot, edits: [edit] }] };
}

/** Groups items by a location so one finding names every crate it concerns. */
export function groupByLocation<T>(items: readonly { location: Location; item: T }[]): { location: Location; items: T[] }[] {
  // Nested maps (file, start, end) rather than a joined string key: this runs over every crate.
  const byFile = new Map<string, Map<number, Map<number, { location: Location; items: T[] }>>>();
  const groups: { location: Location; items: T[] }[] = [];
  for (const { location, item } of items) {
    const { file, span } = location;
    let byStart = byFile.get(file);
    if (!byStart) byFile.set(file, (byStart = new Map()));
    let byEnd = byStart.get(span.start);
    if (!byEnd) byStart.set(span.start, (byEnd = new Map()));
    let group = byEnd.get(span.end);
    if (!group) {
      byEnd.set(span.end, (group = { location, items: [] }));
      groups.push(group);
    }
    group.items.push(item);
  }
  return groups;
}

export function spanKey(span: Span): string {
  return `${span.start}:${span.end}`;
}

/**
 * The shared check of the rules about one `[profile.release]` key (lto, codegen-units):
 * one finding per place that sets the bad value, with a fix that writes `goodValue`
 * there, or adds the key to the root manifest's `[profile.release]` when cargo's default applies.
 */
export function checkReleaseKey(
  workspace: WorkspaceModel,
  report: (finding: { message: string; location: Location; detail: string; evidence: Evidence[]; fixes: Fix[] }) => void,
  options: {
    key: string;
    isBad: (value: ProfileSetting['value']) => boolean;
    goodValue: string;
    message: (setting: ProfileSetting) => string;
    applicability: FixApplicability;
  },
): void {
  const hits: { location: Location; item: { wasm: WasmCrate; setting: ProfileSetting } }[] = [];
  for (const wasm of profileTunedWasmCrates(workspace)) {
    const setting = wasm.build.profiles.find((p) => p.name === 'release')?.settings.get(options.key);
    if (!setting || !options.isBad(setting.value)) continue;
    hits.push({ location: settingLocation(setting.source) ?? rootProfileLocation(wasm.crate, wasm.model), item: { wasm, setting } });
  }
  const assignment = `${options.key} = ${options.goodValue}`;
  for (const { location, items } of groupByLocation(hits)) {
    const { wasm, setting } = items[0]!;
    const fix =
      setting.source.kind === 'default'
        ? insertReleaseKeyFix(
            `Add ${assignment} to [profile.release]`,
            wasm.crate,
            wasm.model,
            options.key,
            options.goodValue,
            options.applicability,
          )
        : replaceValueFix(`Use ${assignment}`, setting.source, wasm.model, { toml: options.goodValue }, options.applicability);
    report({
      message: options.message(setting),
      location,
      detail: `${options.key} = ${JSON.stringify(setting.value)} from ${describeSource(setting.source)}.`,
      evidence: crateEvidence(items.map((i) => i.wasm.crate)),
      fixes: fix ? [fix] : [],
    });
  }
}
