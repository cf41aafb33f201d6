import { runsRepeatedly, type HostFileFacts } from '../hostcode/model';
import {
  at,
  describeRepetition,
  enginePerModuleReason,
  enginesUsing,
  loadEvidence,
  loadsNearby,
  outOfSight,
  setterFor,
  settingFix,
  versionEvidence,
  versionsOf,
} from '../hostcode/rule-support';
import { nearestCrate, versionBelow } from '../hostcode/versions';
import type { WorkspaceModel } from '../workspace/model';
import type { Rule } from './rule';
import docs from './wasmtime-parallel-compilation.md';

export const wasmtimeParallelCompilation: Rule = {
  meta: {
    id: 'wasmtime-parallel-compilation',
    title: 'wasmtime compiles in parallel in a memory-sensitive host',
    category: 'host',
    defaultSeverity: 'info',
    summary: 'A wasmtime host that creates many short-lived engines or modules leaves parallel compilation on.',
    docs,
    sources: [
      'https://github.com/bytecodealliance/wasmtime/blob/e6b33de5139d915a48127fc78b790e2d306cf896/crates/wasmtime/src/config.rs',
      'https://github.com/bytecodealliance/wasmtime/pull/3169',
      'https://github.com/bytecodealliance/wasmtime/issues/9914',
      'https://github.com/zed-industries/zed/pull/64336',
      'https://github.com/denoland/deno/pull/32662',
      'https://github.com/bytecodealliance/wasmtime-go/issues/295',
      'https://github.com/bytecodealliance/wasmtime/pull/14314',
    ],
    fix: 'unsafe',
    measurable: false,
  },
  check(context) {
    const { workspace } = context;
    for (const file of workspace.hostCode.files) {
      if (!file.runtimes.includes('wasmtime') || parallelCompilationCompiledOut(workspace, file)) continue;
      const loads = loadsNearby(workspace, file, 'wasmtime');
      const repeatedLoad = loads.find(({ load }) => runsRepeatedly(load.context));
      const versions = versionsOf(workspace, file, 'wasmtime');
      const tooOld = file.language === 'go' && versions?.versions.every((v) => versionBelow(v, 'v28.0.0'));
      for (const config of file.configs) {
        if (config.runtime !== 'wasmtime' || outOfSight(file, config, 'parallel_compilation') || setterFor(config, 'parallel_compilation'))
          continue;
        const engines = enginesUsing(file, config);
        const perModule = engines.map((engine) => ({ engine, why: enginePerModuleReason(workspace, file, engine) })).find((e) => e.why);
        const pressure = perModule
          ? `engines are created ${perModule.why!.reason}`
          : repeatedLoad
            ? `modules are compiled ${describeRepetition(repeatedLoad.load.context)}`
            : undefined;
        if (!pressure) continue;
        const fix = tooOld ? undefined : settingFix(file, config, ['parallel-compilation-off'], 'unsafe');
        context.report({
          message: `parallel compilation is left on while ${pressure}${tooOld ? '; SetParallelCompilation needs wasmtime-go v28.0.0' : ''}`,
          location: at(file, config.span),
          detail:
            'Its worker threads can keep compile memory resident; turning it off trades compile latency for memory, so measure RSS first.',
          evidence: [
            ...engines.map((engine) => ({ message: 'engine built from this config', location: at(file, engine.span) })),
            ...(perModule?.why?.load ? [{ message: 'the module it compiles', location: at(file, perModule.why.load.span) }] : []),
            ...loadEvidence(repeatedLoad ? [repeatedLoad] : []),
            ...versionEvidence(versions),
          ],
          fixes: fix ? [fix] : [],
        });
      }
    }
  },
};

/** A Rust crate that depends on wasmtime without its `parallel-compilation` feature has no such setting. */
function parallelCompilationCompiledOut(workspace: WorkspaceModel, file: HostFileFacts): boolean {
  if (file.language !== 'rust') return false;
  const dependency = nearestCrate(workspace, file.path)?.dependencies.get('wasmtime');
  return dependency !== undefined && !dependency.defaultFeatures && !dependency.features.includes('parallel-compilation');
}
