import { runsRepeatedly, type ConfigFact, type EngineFact, type HostFileFacts } from '../hostcode/model';
import {
  at, describeRepetition, enginePerModuleReason, enginesUsing, loadEvidence, loadsNearby, outOfSight, setterFor, settingFix, versionEvidence, versionsOf,
} from '../hostcode/rule-support';
import type { SettingChange } from '../hostcode/setter-code';
import { describeVersions, versionBelow } from '../hostcode/versions';
import type { Evidence, Fix } from '../model';
import type { Rule, RuleContext } from './rule';

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
    summary: 'A wasmtime engine that compiles, deserializes or drops modules (above all in a loop or per request) leaves native unwind info on.',
    docs: `## wasmtime keeps native unwind info while loading many modules

wasmtime registers the native unwind tables of every compiled module with the system unwinder and deregisters them when the module is dropped. It is on by default (\`Config::native_unwind_info\`, wasmtime \`config.rs\`, facts §2.2). Where the unwinder is **libunwind** — always on **macOS**, and on Linux builds linked against LLVM libunwind such as static **musl** builds — wasmtime calls \`__register_frame\` once per function, and registering or dropping a module gets slower the more modules are resident (\`unix/unwind.rs\`, facts §2.2):

- wasmtime issue 10084: deserialization grew from milliseconds to about a minute after many modules were loaded.
- wasmtime issue 6541 (open): dropping a 337 MB module took about 22 s on macOS, ~84 µs per frame; issue 10287: dropping modules is much slower on macOS than on Linux/Windows (wasmtime 30.0.1).
- wasmCloud PR 5555 measured dropping one 2,000-function module with 400k entries resident: 3.7 s on macOS and 4.5 s on Linux musl, against 45 µs and 114 µs with unwind info off. glibc's libgcc registers the whole \`.eh_frame\` at once and is not affected.

A host that loads modules in a loop, per request, or per tenant pays this on every load and drop. Unless you need native backtraces through wasm frames (profilers, debuggers), turn it off.

**Severity:** high on macOS and musl/LLVM-libunwind Linux, low on glibc Linux, **never applicable on Windows** — wasmtime refuses to build an engine with unwind info disabled there ("\`native_unwind_info\` cannot be disabled on Windows"), so the rule is skipped when the analysed platform is Windows or the code is Windows-only (\`#[cfg(windows)]\`, \`#ifdef _WIN32\`, \`_windows.go\`, \`if sys.platform == "win32"\`). The finding is a warning when modules are loaded repeatedly and info otherwise.

**Versions** (facts §2.1, §2.2, §13):

| Binding | Setter | Since |
|---|---|---|
| Rust | \`Config::native_unwind_info(false)\` | wasmtime 1.0.0, but it only takes effect from **13.0.0** (PR 6547); before that also call \`unsafe { config.cranelift_flag_set("unwind_info", "false") }\` |
| C / C++ | \`wasmtime_config_native_unwind_info_set(cfg, false)\` / \`config.native_unwind_info(false)\` | wasmtime 13.0.0 (PR 6896) |
| Go | \`cfg.SetNativeUnwindInfo(false)\` | wasmtime-go **v28.0.0** (PR 236) |
| Python | \`config.native_unwind_info = False\` | wasmtime-py **45.0.0** (PR 335) |
| .NET | not exposed | — |

The rule reads the wasmtime version from Cargo.lock, the wasmtime-go version from go.mod and the wasmtime-py version from requirements*.txt / pyproject.toml. With a wasmtime older than 13 (locked, or pinned by a caret/exact requirement when there is no Cargo.lock) it also asks for the \`cranelift_flag_set\` workaround; with a binding too old to have the setter it offers no fix and says which version to upgrade to. An upstream mitigation (PR 14304, bulk libunwind registration) is merged after 48.0.0; its first release was unknown at the facts' snapshot.

**Fix:** set it right after the config is built. The quick fixes keep Windows builds working: Rust \`#[cfg(not(windows))] config.native_unwind_info(false);\` (\`.native_unwind_info(cfg!(windows))\` inside a builder chain), Go \`cfg.SetNativeUnwindInfo(runtime.GOOS == "windows")\`, C/C++ the setter inside \`#ifndef _WIN32\`, Python \`config.native_unwind_info = sys.platform == "win32"\`. An engine built with the defaults (\`Engine::default()\`, \`wasmtime.NewEngine()\`, \`Engine()\`) needs a \`Config\`; that restructuring has no automatic fix.

**When to silence:** when the host loads only a handful of modules for its whole life, or needs native unwinding through wasm frames. Add \`// wasm-perf: allow(wasmtime-native-unwind-info)\` on the config line.`,
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
      const own = file.moduleLoads.filter((load) => load.runtime === 'wasmtime').map((load) => ({ file, load }));
      const loads = own.length > 0 ? own : loadsNearby(workspace, file, 'wasmtime');
      if (loads.length === 0) continue;
      const repeatedLoad = loads.find(({ load }) => runsRepeatedly(load.context));
      const repeatedEngine = file.engines.find((engine) => engine.runtime === 'wasmtime' && enginePerModuleReason(workspace, file, engine));
      const many = repeatedLoad
        ? `modules are loaded ${describeRepetition(repeatedLoad.load.context)}`
        : repeatedEngine ? `engines are created ${enginePerModuleReason(workspace, file, repeatedEngine)!.reason}` : undefined;
      const shared = { many, evidence: loadEvidence(repeatedLoad ? [repeatedLoad, ...loads.filter((l) => l !== repeatedLoad)] : loads) };
      for (const config of file.configs) {
        if (config.runtime === 'wasmtime' && !outOfSight(file, config, 'native_unwind_info') && !config.context.windowsOnly) checkConfig(context, file, config, shared);
      }
      for (const engine of file.engines) {
        if (engine.runtime === 'wasmtime' && engine.usesDefaultConfig && !engine.context.windowsOnly) reportDefaultEngine(context, file, engine, shared);
      }
    }
  },
};

interface Shared {
  /** Why this host loads many modules, when it does. */
  readonly many: string | undefined;
  readonly evidence: Evidence[];
}

function platformNote(platform: NodeJS.Platform): string {
  return platform === 'darwin' ? ', which is severe on macOS' : '';
}

function detailFor(many: string | undefined): string {
  return [
    many ? `In this host ${many}.` : 'The host loads modules; if it loads many over its lifetime, each load and drop gets slower as modules accumulate.',
    'With libunwind (macOS always, Linux with LLVM libunwind such as static musl builds) wasmtime registers every function\'s unwind entry separately: wasmCloud measured 3.7 s (macOS) and 4.5 s (musl) to drop one module with 400k entries resident, against 45 µs and 114 µs with unwind info off. glibc Linux is barely affected; Windows cannot turn it off.',
  ].join(' ');
}

function checkConfig(context: RuleContext, file: HostFileFacts, config: ConfigFact, shared: Shared): void {
  const { workspace } = context;
  const versions = versionsOf(workspace, file, 'wasmtime');
  const setter = setterFor(config, 'native_unwind_info');
  const engines = enginesUsing(file, config).map((engine) => ({ message: 'the engine built from this config', location: at(file, engine.span) }));
  const evidence = [...engines, ...shared.evidence, ...versionEvidence(versions)];
  const severity = shared.many ? undefined : 'info' as const;
  const oldWasmtime = file.language === 'rust' && versions !== undefined && versions.versions.every((v) => versionBelow(v, '13.0.0'));

  if (setter && !/^(true|cfg!\s*\(\s*windows\s*\))$/.test(setter.argumentText) && oldWasmtime) {
    const workaround = config.setters.some((s) => s.setting === 'cranelift_flag_set' && /unwind_info/.test(s.argumentText));
    if (workaround) return;
    const fix = settingFix(file, config, ['cranelift-unwind-info-off'], 'unsafe');
    context.report({
      ...(severity ? { severity } : {}),
      message: `native_unwind_info(false) has no effect before wasmtime 13 (${describeVersions(versions!)}); Cranelift still emits unwind info${platformNote(workspace.platform)}`,
      location: at(file, setter.span),
      detail: `wasmtime before 13.0.0 kept Cranelift's \`unwind_info\` flag on even with \`native_unwind_info(false)\` (fixed by PR 6547). Also call \`unsafe { config.cranelift_flag_set("unwind_info", "false") }\`, or upgrade wasmtime to 13 or later. ${detailFor(shared.many)}`,
      evidence,
      fixes: fix ? [fix] : [],
    });
    return;
  }
  if (setter) return;

  const since = SETTER_SINCE[file.language];
  const tooOld = since && versions?.versions.every((v) => versionBelow(v, since.version));
  const changes: SettingChange[] = oldWasmtime ? ['native-unwind-info-off', 'cranelift-unwind-info-off'] : ['native-unwind-info-off'];
  const fix: Fix | undefined = tooOld ? undefined : settingFix(file, config, changes, 'unsafe');
  const what = shared.many ? `while ${shared.many}` : 'on an engine that loads modules';
  const upgrade = tooOld ? `; ${since.spelling} needs ${since.package} ${since.version} (${describeVersions(versions!)})` : '';
  context.report({
    ...(severity ? { severity } : {}),
    message: `wasmtime native unwind info stays on ${what}${platformNote(workspace.platform)}${upgrade}`,
    location: at(file, config.span),
    detail: [
      detailFor(shared.many),
      oldWasmtime ? `This host's wasmtime (${describeVersions(versions!)}) is older than 13.0.0, where \`native_unwind_info(false)\` alone did not work: the fix also clears Cranelift's \`unwind_info\` flag.` : undefined,
      tooOld ? `Upgrade to ${since.package} ${since.version} or later to get ${since.spelling}.` : undefined,
      !tooOld && !fix ? 'No automatic fix: the config is not built in a statement this tool can extend; set native unwind info off where the config is built.' : undefined,
    ].filter(Boolean).join(' '),
    evidence,
    fixes: fix ? [fix] : [],
  });
}

function reportDefaultEngine(context: RuleContext, file: HostFileFacts, engine: EngineFact, shared: Shared): void {
  const what = shared.many ? `while ${shared.many}` : 'on an engine that loads modules';
  context.report({
    ...(shared.many ? {} : { severity: 'info' as const }),
    message: `wasmtime engine with default settings keeps native unwind info on ${what}${platformNote(context.workspace.platform)}`,
    location: at(file, engine.span),
    detail: `${detailFor(shared.many)} Build the engine from a Config with native unwind info off (Rust \`Config::native_unwind_info(false)\`, Go \`SetNativeUnwindInfo(false)\`, C \`wasmtime_config_native_unwind_info_set\`, Python \`config.native_unwind_info = False\`), keeping it on for Windows. No automatic fix: it replaces the engine construction.`,
    evidence: shared.evidence,
  });
}
