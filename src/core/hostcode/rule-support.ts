/** What the host-code rules share: wording for code contexts, evidence, and fix assembly. */
import { isTestFile } from '../workspace/test-code';
import { owningCrate } from './judged-code';
import type { Evidence, Fix, FixApplicability, Location, Span, TextEdit } from '../model';
import { dirname } from '../text/paths';
import type { WorkspaceModel } from '../workspace/model';
import {
  runsRepeatedly,
  type CodeContext,
  type ConfigFact,
  type EngineFact,
  type HostFileFacts,
  type ModuleLoadFact,
  type SetterCall,
  type WasmRuntime,
} from './model';
import { settingEdits, type SettingChange } from './setter-code';
import { bindingVersions, describeVersions, type BindingVersions } from './versions';

export function at(file: HostFileFacts, span: Span): Location {
  return { file: file.path, span };
}

/** "in a loop", "per request (`handle` looks like a request handler)", "in `load`, which is called from a loop". */
export function describeRepetition(context: CodeContext): string {
  if (context.loop) return 'in a loop';
  if (context.perRequest) return `per request (${context.perRequest})`;
  if (context.calledFromLoop) return `in \`${context.functionName}\`, which is called from a loop`;
  return context.functionName ? `in \`${context.functionName}\`` : 'at top level';
}

/**
 * Whether a config is out of this tool's sight for `setting`: handed to code the file does not
 * show, or returned to a caller or handed to the file's own helpers while the file sets that
 * setting somewhere.
 */
export function outOfSight(file: HostFileFacts, config: ConfigFact, setting: string): boolean {
  const toOwnHelpers = config.escapesTo?.every((name) => file.definedFunctions?.includes(name)) === true;
  if (config.escapes && !toOwnHelpers) return true;
  return (config.escapes || config.returned) && file.settingsSet.includes(setting);
}

export function setterFor(config: ConfigFact, setting: string): SetterCall | undefined {
  return config.setters.find((setter) => setter.setting === setting);
}

/** Engines built from `config` in its file. */
export function enginesUsing(file: HostFileFacts, config: ConfigFact): EngineFact[] {
  const index = file.configs.indexOf(config);
  return file.engines.filter((engine) => engine.configIndex === index);
}

/** Names of functions that run once by convention (set-up code, tests), where creating an engine is fine. */
const ONE_SHOT_FUNCTION =
  /^(?:main|__main__|__init__|new|New\w*|init\w*|setup\w*|set_up|build\w*|create_engine|make_engine|engine|default|test\w*|Test\w*|bench\w*|Benchmark\w*|Example\w*)$/;

/**
 * Types a host has many of: an engine built by one of their associated functions (`Plugin::new`,
 * `CompiledPlugin::load`) and kept in the value is an engine per plugin, whatever the function's name.
 */
const ONE_OF_MANY_TYPE = /(?:Plugin|Extension|Addon|Guest|Tenant|Module|Component|Script|Actor)$/;

/** Test, bench and example programs run once per process: an engine per module there is fine. */
function isOneShotProgram(workspace: WorkspaceModel, path: string): boolean {
  const root = workspace.roots.find((r) => path.startsWith(`${r}/`));
  const relative = root ? path.slice(root.length + 1) : path;
  return isTestFile(workspace.roots, path) || /(?:^|\/)examples\//.test(relative);
}

/** Whether `load` is known to run on another engine than `engine` (a different local name in the same function). */
function loadsOnOtherEngine(load: ModuleLoadFact, engine: EngineFact): boolean {
  return load.engine !== undefined && engine.variable !== undefined && load.engine !== engine.variable;
}

/**
 * Why an engine is created once per module or request, or undefined when it is not:
 * inside a loop or handler, in an associated function of a type a host has many of
 * (`CompiledPlugin::new`), or in a (non-set-up) function that also loads exactly one module
 * per call on it.
 */
export function enginePerModuleReason(
  workspace: WorkspaceModel,
  file: HostFileFacts,
  engine: EngineFact,
): { reason: string; load?: ModuleLoadFact } | undefined {
  if (runsRepeatedly(engine.context)) return { reason: describeRepetition(engine.context) };
  const name = engine.context.functionName;
  if (!name || isOneShotProgram(workspace, file.path)) return undefined;
  // Associated functions are named `Type::name`; the convention is about the function's own name.
  const separator = name.lastIndexOf('::');
  const type = separator >= 0 ? name.slice(0, separator) : undefined;
  if (type && ONE_OF_MANY_TYPE.test(type) && !engine.local) return { reason: `once per \`${type}\`` };
  if (ONE_SHOT_FUNCTION.test(separator >= 0 ? name.slice(separator + 2) : name)) return undefined;
  // One load per call: a function that loads many modules in a loop shares its engine, which is right.
  const load = file.moduleLoads.find(
    (l) =>
      l.runtime === engine.runtime &&
      l.context.functionName === name &&
      l.span.start > engine.span.start &&
      !l.context.loop &&
      !loadsOnOtherEngine(l, engine),
  );
  return load ? { reason: `once per module loaded by \`${name}\``, load } : undefined;
}

/**
 * Module loads the engine of `file` may serve: in the same crate for Rust (a load in another
 * crate runs on another crate's engine), in the same package directory for Go, anywhere under
 * the root for Python and C/C++ (headers and sources live in different directories).
 */
export function loadsNearby(
  workspace: WorkspaceModel,
  file: HostFileFacts,
  runtime: WasmRuntime,
): { file: HostFileFacts; load: ModuleLoadFact }[] {
  const out: { file: HostFileFacts; load: ModuleLoadFact }[] = [];
  const crate = file.language === 'rust' ? owningCrate(file.path, workspace.cargo.crates) : undefined;
  const root = workspace.roots.find((r) => file.path.startsWith(`${r}/`)) ?? dirname(file.path);
  const inScope = (other: HostFileFacts) =>
    crate
      ? owningCrate(other.path, workspace.cargo.crates) === crate
      : file.language === 'go'
        ? dirname(other.path) === dirname(file.path)
        : other.path.startsWith(`${root}/`);
  for (const other of workspace.hostCode.files) {
    if (other.language !== file.language || !inScope(other)) continue;
    for (const load of other.moduleLoads) if (load.runtime === runtime && !onLocalEngine(other, load)) out.push({ file: other, load });
  }
  return out;
}

/** A load on an engine that is built in the same function and never leaves it. */
function onLocalEngine(file: HostFileFacts, load: ModuleLoadFact): EngineFact | undefined {
  return file.engines.find(
    (engine) => engine.local && engine.variable === load.engine && engine.context.functionName === load.context.functionName,
  );
}

/**
 * The module loads that run on `engines` (built in `file`, or, when the file builds none, on the
 * engine a config of this file ends up in): the loads on them when they stay in their function,
 * and otherwise the loads of the file, or of its crate or package, that no other local engine
 * serves. An engine that stays in its function and loads nothing (a probe of what the platform
 * supports) serves no load.
 */
export function loadsServedBy(
  workspace: WorkspaceModel,
  file: HostFileFacts,
  engines: readonly EngineFact[],
  runtime: WasmRuntime,
): { file: HostFileFacts; load: ModuleLoadFact }[] {
  if (engines.length > 0 && engines.every((engine) => engine.local)) {
    return file.moduleLoads
      .filter((load) => load.runtime === runtime && engines.includes(onLocalEngine(file, load)!))
      .map((load) => ({ file, load }));
  }
  const own = file.moduleLoads.filter((load) => load.runtime === runtime && !onLocalEngine(file, load)).map((load) => ({ file, load }));
  return own.length > 0 ? own : loadsNearby(workspace, file, runtime);
}

/** Evidence for the loads: each load, and for one that runs from a loop elsewhere in its file, that loop's call. */
export function loadEvidence(entries: readonly { file: HostFileFacts; load: ModuleLoadFact }[], limit = 3): Evidence[] {
  const evidence = entries.slice(0, limit).flatMap(({ file, load }) => [
    {
      message: `\`${load.api}\` ${runsRepeatedly(load.context) ? describeRepetition(load.context) : 'loads a module here'}`,
      location: at(file, load.span),
    },
    ...loopCallEvidence(file, load.context),
  ]);
  const key = (e: Evidence) => `${e.location?.file}\0${e.location?.span?.start}\0${e.message}`;
  return evidence.filter((e, i) => evidence.findIndex((other) => key(other) === key(e)) === i);
}

/** "`initialize_workload_component` called in a loop", at that call, for code called from a loop. */
export function loopCallEvidence(file: HostFileFacts, context: CodeContext): Evidence[] {
  if (context.loop || context.perRequest || !context.calledFromLoop) return [];
  const called = context.calledFromLoopThrough ?? context.functionName;
  return [{ message: `\`${called}\` called in a loop`, location: at(file, context.calledFromLoop) }];
}

/** `wasmtime-go` for `github.com/bytecodealliance/wasmtime-go`, `wasmtime-py` for the Python package. */
export function bindingName(versions: BindingVersions, language: HostFileFacts['language']): string {
  if (language === 'python' && versions.package === 'wasmtime') return 'wasmtime-py';
  return versions.package.split('/').pop()!;
}

export function versionEvidence(versions: BindingVersions | undefined): Evidence[] {
  if (!versions) return [];
  return [
    {
      message: `${versions.package} ${describeVersions(versions)}`,
      ...(versions.source && versions.span ? { location: { file: versions.source, span: versions.span } } : {}),
    },
  ];
}

export function versionsOf(workspace: WorkspaceModel, file: HostFileFacts, runtime: WasmRuntime): BindingVersions | undefined {
  return bindingVersions(workspace, file.path, file.language, runtime);
}

/** A fix that applies `changes` in order to `config`, or undefined if any of them has no valid edit. */
export function settingFix(
  file: HostFileFacts,
  config: ConfigFact,
  changes: readonly SettingChange[],
  applicability: FixApplicability,
  preferred = true,
): Fix | undefined {
  const edits: TextEdit[] = [];
  const code: string[] = [];
  for (const change of changes) {
    const result = settingEdits(file, config, change);
    if (!result) return undefined;
    // Two statements may each need `mut ` on the binding or the same import: add those once.
    for (const edit of result.edits) {
      if (!edits.some((e) => e.start === edit.start && e.end === edit.end && e.newText === edit.newText)) edits.push(edit);
    }
    code.push(result.code.trim());
  }
  return {
    title: `Add \`${code.join(' ')}\``,
    ...(preferred ? { preferred: true } : {}),
    applicability,
    changes: [{ file: file.path, edits }],
  };
}
