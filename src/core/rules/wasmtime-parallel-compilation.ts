import type { HostFileFacts } from '../hostcode/model';
import {
  at,
  describeRepetition,
  enginesUsing,
  loadEvidence,
  loadsServedBy,
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
    title: 'wasmtime compiles in parallel per request',
    category: 'host',
    defaultSeverity: 'info',
    summary: 'A wasmtime host that builds engines or compiles modules per request leaves parallel compilation on.',
    docs,
    sources: [
      'https://github.com/bytecodealliance/wasmtime/blob/e6b33de5139d915a48127fc78b790e2d306cf896/crates/wasmtime/src/config.rs',
      'https://github.com/bytecodealliance/wasmtime/pull/3169',
      'https://github.com/bytecodealliance/wasmtime/issues/9914',
      'https://github.com/bytecodealliance/wasmtime/issues/4910',
      'https://github.com/zed-industries/zed/pull/30942',
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
      const versions = versionsOf(workspace, file, 'wasmtime');
      const tooOld = file.language === 'go' && versions?.versions.every((v) => versionBelow(v, 'v28.0.0'));
      for (const config of file.configs) {
        if (config.runtime !== 'wasmtime' || outOfSight(file, config, 'parallel_compilation') || setterFor(config, 'parallel_compilation'))
          continue;
        const engines = enginesUsing(file, config);
        const loads = loadsServedBy(workspace, file, engines, 'wasmtime');
        // Compiles that overlap: engines built, or modules compiled, per request. Sequential compiles
        // (a loop over plugins at start-up) are what parallel compilation speeds up.
        const perRequestEngine = engines.find((engine) => engine.context.perRequest);
        const perRequestLoad = loads.find(({ load }) => load.context.perRequest);
        if (loads.length === 0 || (!perRequestEngine && !perRequestLoad)) continue;
        const pressure = perRequestEngine
          ? `engines are created ${describeRepetition(perRequestEngine.context)}`
          : `modules are compiled ${describeRepetition(perRequestLoad!.load.context)}`;
        const fix = tooOld ? undefined : settingFix(file, config, ['parallel-compilation-off'], 'unsafe');
        context.report({
          message: `parallel compilation is left on while ${pressure}${tooOld ? '; SetParallelCompilation needs wasmtime-go v28.0.0' : ''}`,
          location: at(file, config.span),
          detail:
            'Concurrent compiles each fan out over every core, and the workers can keep compile memory resident. Turning it off trades compile latency for CPU and memory; measure first.',
          evidence: [
            ...engines.map((engine) => ({ message: 'engine built from this config', location: at(file, engine.span) })),
            ...loadEvidence(perRequestLoad ? [perRequestLoad] : loads.slice(0, 1)),
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
