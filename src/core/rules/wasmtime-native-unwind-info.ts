import { runsRepeatedly, type ConfigFact, type EngineFact, type HostFileFacts } from '../hostcode/model';
import type { WorkspaceModel } from '../workspace/model';
import {
  at,
  describeRepetition,
  enginesUsing,
  loadEvidence,
  loadsServedBy,
  loopCallEvidence,
  outOfSight,
  setterFor,
  settingFix,
  versionEvidence,
  versionsOf,
} from '../hostcode/rule-support';
import type { SettingChange } from '../hostcode/setter-code';
import { describeVersions, versionBelow } from '../hostcode/versions';
import type { Evidence, Fix } from '../model';
import type { Rule, RuleContext } from './rule';
import docs from './wasmtime-native-unwind-info.md';

/** The first release of each binding that exposes the setter (facts §2.1). */
const SETTER_SINCE: Partial<Record<HostFileFacts['language'], { package: string; version: string; spelling: string }>> = {
  go: { package: 'wasmtime-go', version: 'v28.0.0', spelling: 'Config.SetNativeUnwindInfo' },
  python: { package: 'wasmtime-py', version: '45.0.0', spelling: 'Config.native_unwind_info' },
};

export const wasmtimeNativeUnwindInfo: Rule = {
  meta: {
    id: 'wasmtime-native-unwind-info',
    title: 'wasmtime keeps native unwind info while loading many modules',
    category: 'host',
    defaultSeverity: 'warning',
    summary:
      'A wasmtime engine that loads modules repeatedly (in a loop, per request, or from a function called in a loop) leaves native unwind info on.',
    docs,
    sources: [
      'https://github.com/bytecodealliance/wasmtime/blob/e6b33de5139d915a48127fc78b790e2d306cf896/crates/wasmtime/src/config.rs',
      'https://github.com/bytecodealliance/wasmtime/blob/e6b33de5139d915a48127fc78b790e2d306cf896/crates/wasmtime/src/runtime/vm/sys/unix/unwind.rs',
      'https://github.com/bytecodealliance/wasmtime/pull/6547',
      'https://github.com/bytecodealliance/wasmtime/pull/10085',
      'https://github.com/bytecodealliance/wasmtime/issues/10084',
      'https://github.com/bytecodealliance/wasmtime/issues/6541',
      'https://github.com/bytecodealliance/wasmtime/issues/10287',
      'https://github.com/wasmCloud/wasmCloud/pull/5555',
      'https://github.com/bytecodealliance/wasmtime/pull/14304',
    ],
    fix: 'unsafe',
    measurable: false,
  },
  check(context) {
    const { workspace } = context;
    if (workspace.platform === 'win32') return;
    for (const file of workspace.hostCode.files) {
      if (!file.runtimes.includes('wasmtime') || file.windowsOnly) continue;
      for (const config of file.configs) {
        if (config.runtime === 'wasmtime' && !outOfSight(file, config, 'native_unwind_info') && !config.context.windowsOnly)
          checkConfig(context, file, config, repetition(workspace, file, enginesOf(file, config)));
      }
      for (const engine of file.engines) {
        if (engine.runtime === 'wasmtime' && engine.usesDefaultConfig && !engine.context.windowsOnly)
          reportDefaultEngine(context, file, engine, repetition(workspace, file, [engine]));
      }
    }
  },
};

/** The engines built from `config`; for a config returned to a caller, the file's engines built from a config it does not show. */
function enginesOf(file: HostFileFacts, config: ConfigFact): EngineFact[] {
  const engines = enginesUsing(file, config);
  if (engines.length > 0 || !config.returned) return engines;
  return file.engines.filter((engine) => engine.runtime === 'wasmtime' && engine.configIndex === undefined && !engine.usesDefaultConfig);
}

/**
 * Whether the engines a config ends up in load modules many times: a load on them runs in a
 * loop, per request or from a function called in a loop, or the engines themselves are created
 * that way. An engine built once per module by a function nothing is seen to call repeatedly is
 * not enough: a host that starts a handful of plugins that way never pays for the registrations.
 */
function repetition(workspace: WorkspaceModel, file: HostFileFacts, engines: readonly EngineFact[]): Shared | undefined {
  const loads = loadsServedBy(workspace, file, engines, 'wasmtime');
  if (loads.length === 0) return undefined;
  const repeatedLoad = loads.find(({ load }) => runsRepeatedly(load.context));
  const repeatedEngine = engines.find((engine) => runsRepeatedly(engine.context));
  const many = repeatedLoad
    ? `modules are loaded ${describeRepetition(repeatedLoad.load.context)}`
    : repeatedEngine
      ? `engines are created ${describeRepetition(repeatedEngine.context)}`
      : undefined;
  return {
    many,
    evidence: [
      ...(repeatedEngine && !repeatedLoad ? loopCallEvidence(file, repeatedEngine.context) : []),
      ...loadEvidence(repeatedLoad ? [repeatedLoad, ...loads.filter((l) => l !== repeatedLoad)] : loads),
    ],
  };
}

interface Shared {
  /** Why this host loads many modules, when it does. */
  readonly many: string | undefined;
  readonly evidence: Evidence[];
}

function platformNote(platform: NodeJS.Platform): string {
  return platform === 'darwin' ? ', which is severe on macOS' : '';
}

const DETAIL = 'With libunwind (macOS, musl) every module load and drop gets slower as modules accumulate.';

function checkConfig(context: RuleContext, file: HostFileFacts, config: ConfigFact, shared: Shared | undefined): void {
  // An engine that loads nothing (a probe of what the platform supports) registers nothing.
  if (!shared) return;
  const { workspace } = context;
  const versions = versionsOf(workspace, file, 'wasmtime');
  const setter = setterFor(config, 'native_unwind_info');
  const engines = enginesUsing(file, config).map((engine) => ({
    message: 'engine built from this config',
    location: at(file, engine.span),
  }));
  const evidence = [...engines, ...shared.evidence, ...versionEvidence(versions)];
  const severity = shared.many ? undefined : ('info' as const);
  const oldWasmtime = file.language === 'rust' && versions !== undefined && versions.versions.every((v) => versionBelow(v, '13.0.0'));

  if (setter && !/^(true|cfg!\s*\(\s*windows\s*\))$/.test(setter.argumentText) && oldWasmtime) {
    const workaround = config.setters.some((s) => s.setting === 'cranelift_flag_set' && /unwind_info/.test(s.argumentText));
    if (workaround) return;
    const fix = settingFix(file, config, ['cranelift-unwind-info-off'], 'unsafe');
    context.report({
      ...(severity ? { severity } : {}),
      message: `native_unwind_info(false) has no effect before wasmtime 13 (${describeVersions(versions)}); Cranelift still emits unwind info${platformNote(workspace.platform)}`,
      location: at(file, setter.span),
      detail: 'Also call `unsafe { config.cranelift_flag_set("unwind_info", "false") }`, or upgrade wasmtime to 13 or later.',
      evidence,
      fixes: fix ? [fix] : [],
    });
    return;
  }
  if (setter) return;
  // A host that loads a handful of modules once never pays for the registrations.
  if (!shared.many) return;

  const since = SETTER_SINCE[file.language];
  const tooOld = since && versions?.versions.every((v) => versionBelow(v, since.version));
  const changes: SettingChange[] = oldWasmtime ? ['native-unwind-info-off', 'cranelift-unwind-info-off'] : ['native-unwind-info-off'];
  const fix: Fix | undefined = tooOld ? undefined : settingFix(file, config, changes, 'unsafe');
  const upgrade = tooOld ? `; ${since.spelling} needs ${since.package} ${since.version}` : '';
  context.report({
    ...(severity ? { severity } : {}),
    message: `native unwind info is left on while ${shared.many}${platformNote(workspace.platform)}${upgrade}`,
    location: at(file, config.span),
    detail: [
      DETAIL,
      oldWasmtime ? "Before wasmtime 13 the fix must also clear Cranelift's `unwind_info` flag." : undefined,
      !tooOld && !fix ? 'Set it off where the config is built.' : undefined,
    ]
      .filter(Boolean)
      .join(' '),
    evidence,
    fixes: fix ? [fix] : [],
  });
}

function reportDefaultEngine(context: RuleContext, file: HostFileFacts, engine: EngineFact, shared: Shared | undefined): void {
  if (!shared?.many) return;
  context.report({
    message: `engine with default settings keeps native unwind info on while ${shared.many}${platformNote(context.workspace.platform)}`,
    location: at(file, engine.span),
    detail: `${DETAIL} Build the engine from a Config with native unwind info off.`,
    evidence: shared.evidence,
  });
}
