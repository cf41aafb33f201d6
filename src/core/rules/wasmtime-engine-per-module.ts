import type { HostLanguage } from '../hostcode/model';
import { at, bindingName, enginePerModuleReason, loopCallEvidence, versionEvidence, versionsOf } from '../hostcode/rule-support';
import { parseVersion } from '../hostcode/versions';
import type { Rule } from './rule';
import docs from './wasmtime-engine-per-module.md';

const SHARING: Record<HostLanguage, string> = {
  rust: 'Create one `Engine` at start-up (e.g. in a `OnceLock`/`LazyLock` or your application state) and clone it where needed: `Engine` is a cheap reference-counted handle. Per request, create only a `Store` (and instantiate a `Module`/`InstancePre` compiled once).',
  go: 'Create one `*wasmtime.Engine` at start-up (a package-level variable, `sync.Once`, or a field of your server) and pass it around; per request create only a `Store` and instantiate a `Module` compiled once.',
  python:
    'Create one `Engine` at module level (or in your application object) and reuse it; per request create only a `Store` and instantiate a `Module` compiled once.',
  c: 'Create one `wasm_engine_t` at start-up and share it (it is thread-safe); per request create only a `wasmtime_store_t` and instantiate a module compiled once.',
  cpp: 'Create one `wasmtime::Engine` at start-up and share it (copies share the same engine); per request create only a `Store` and instantiate a `Module` compiled once.',
};

export const wasmtimeEnginePerModule: Rule = {
  meta: {
    id: 'wasmtime-engine-per-module',
    title: 'wasmtime Engine created per module or request',
    category: 'host',
    defaultSeverity: 'warning',
    summary:
      'A wasmtime `Engine` is created in a loop, per request, per plugin, or once for every module it loads, instead of being shared.',
    docs,
    sources: [
      'https://docs.rs/wasmtime/latest/wasmtime/struct.Engine.html',
      'https://github.com/bytecodealliance/wasmtime-go/issues/295',
      'https://github.com/bytecodealliance/wasmtime/pull/14314',
      'https://github.com/bytecodealliance/wasmtime/pull/14321',
    ],
    fix: 'none',
    measurable: false,
  },
  check(context) {
    const { workspace } = context;
    for (const file of workspace.hostCode.files) {
      for (const engine of file.engines) {
        if (engine.runtime !== 'wasmtime') continue;
        const why = enginePerModuleReason(workspace, file, engine);
        if (!why) continue;
        const versions = versionsOf(workspace, file, 'wasmtime');
        const regressed = versions?.versions.find((v) => parseVersion(v)?.major === 48);
        context.report({
          message: regressed
            ? `Engine created ${why.reason} on ${bindingName(versions!, file.language)} ${regressed}, which keeps compiler caches per Engine`
            : `Engine created ${why.reason}; share one Engine instead`,
          location: at(file, engine.span),
          detail: [
            regressed
              ? 'Share one Engine, and upgrade to 49.0.0, which drops the caches after each compile.'
              : 'Each Engine carries its own compiler state and caches.',
            SHARING[file.language],
          ].join(' '),
          evidence: [
            ...(why.load ? [{ message: `\`${why.load.api}\` loads its module`, location: at(file, why.load.span) }] : []),
            ...loopCallEvidence(file, engine.context),
            ...versionEvidence(regressed ? versions : undefined),
          ],
        });
      }
    }
  },
};
