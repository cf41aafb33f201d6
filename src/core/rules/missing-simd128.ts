import { layerInside } from '../cargo/config-chain';
import type { EffectiveRustflags, RustflagsDefinition } from '../cargo/model';
import { enablesSimd128 } from '../cargo/rustflags';
import { appendSimdFlags, SIMD_ARRAY } from '../cargo/rustflags-edit';
import { EXPLICIT_SIMD_LABEL } from '../cargo/crate-code';
import { crateEvidence, crateLocation, groupByLocation, wasmCrates, type WasmCrate } from '../cargo/rule-support';
import type { Evidence, Fix, Location } from '../model';
import { dirname, join } from '../text/paths';
import type { WorkspaceModel } from '../workspace/model';
import type { Rule } from './rule';
import docs from './missing-simd128.md';

/** Hosts that run wasm with SIMD on by default (facts §9); their presence means the module may run there. */
const SIMD_HOSTS = ['wasmtime', 'wasmer', 'wasmedge-sdk', 'wasm3', 'spin-sdk'];

export const missingSimd128: Rule = {
  meta: {
    id: 'missing-simd128',
    title: 'Wasm crate is built without simd128',
    category: 'build',
    defaultSeverity: 'warning',
    summary: "The effective rustflags for a wasm crate's target do not enable the simd128 target feature.",
    docs,
    sources: [
      'https://github.com/llvm/llvm-project/blob/0bf29aec617308abd71458e7304c2425d0ae00cf/llvm/lib/Target/WebAssembly/WebAssembly.td',
      'https://doc.rust-lang.org/rustc/platform-support/wasm32-unknown-unknown.html',
      'https://github.com/rust-lang/rust/pull/117468',
      'https://doc.rust-lang.org/cargo/reference/config.html#buildrustflags',
      'https://github.com/spinframework/spin/issues/2980',
      'https://github.com/wasmi-labs/wasmi/blob/2abed01ec3f2176eaba6db0052adbd11e29c99f8/CHANGELOG.md',
    ],
    fix: 'unsafe',
    measurable: true,
  },
  check(context) {
    const { workspace } = context;
    const hits: { location: Location; item: { wasm: WasmCrate; flags: EffectiveRustflags; definition?: RustflagsDefinition } }[] = [];
    const onlyWasmiWithoutSimd = hostsAreOnlyWasmiWithoutSimd(workspace);
    for (const wasm of wasmCrates(workspace)) {
      if (onlyWasmiWithoutSimd && wasm.build.producers.every((p) => p === 'plain')) continue;
      // SIMD is a trade-off (hosts without it cannot load the module): ask for it only where code would gain.
      if (!workspace.crateCode.get(wasm.crate.manifestPath)?.dataParallel.length) continue;
      for (const flags of wasm.build.rustflags) {
        if (enablesSimd128(flags.flags)) continue;
        const definition = [...flags.definitions].reverse().find((d) => d.source.kind === 'file');
        const location =
          definition?.source.kind === 'file'
            ? { file: definition.source.file, span: definition.source.valueSpan }
            : crateLocation(wasm.crate);
        hits.push({ location, item: { wasm, flags, ...(definition ? { definition } : {}) } });
      }
    }
    // One finding per place, whatever the number of wasm targets it covers (a toolchain file may list three).
    for (const { location, items } of groupByLocation(hits)) {
      const targets = [...new Set(items.map((i) => i.flags.target))];
      const fixes = targets.flatMap((target, index) => {
        const { wasm, flags, definition } = items.find((i) => i.flags.target === target)!;
        const fix =
          flags.winner === 'RUSTFLAGS' || flags.winner === 'CARGO_ENCODED_RUSTFLAGS' ? undefined : simdFix(wasm, flags, definition);
        if (!fix) return [];
        return [
          { ...fix, ...(targets.length > 1 ? { title: `${fix.title} for ${target}` } : {}), ...(index === 0 ? {} : { preferred: false }) },
        ];
      });
      const { wasm, flags } = items[0]!;
      const dataParallel = [...new Set(items.map((i) => i.wasm.crate.manifestPath))].flatMap(
        (path) => workspace.crateCode.get(path)?.dataParallel ?? [],
      );
      const explicitSimd = dataParallel.some((e) => e.message === EXPLICIT_SIMD_LABEL);
      const evidence: Evidence[] = [
        ...crateEvidence([...new Set(items.map((g) => g.wasm.crate))]),
        ...(wasm.crate.wasm?.reasons.slice(0, 2) ?? []),
        ...dataParallel.slice(0, 3),
      ];
      context.report({
        message: explicitSimd
          ? `rustflags for ${targets.join(', ')} do not enable simd128, so the crate's SIMD code is compiled out`
          : dataParallel.every((e) => e.location?.file.endsWith('Cargo.toml'))
            ? `rustflags for ${targets.join(', ')} do not enable simd128, which the crate's kernel libraries could use`
            : `rustflags for ${targets.join(', ')} do not enable simd128, which the crate's loops could use`,
        location,
        detail: explainWinner(flags),
        evidence,
        fixes,
      });
    }
  },
};

function explainWinner(flags: EffectiveRustflags): string {
  switch (flags.winner) {
    case 'CARGO_ENCODED_RUSTFLAGS':
    case 'RUSTFLAGS':
      return `${flags.winner} is set in the environment, so cargo ignores every rustflags in config files; add -C target-feature=+simd128 to it.`;
    case 'target':
      return `These [target] rustflags are the ones cargo uses for ${flags.target}: ${flags.flags.join(' ') || '(empty)'}.`;
    case 'build':
      return `[build] rustflags are the ones cargo uses for ${flags.target}: ${flags.flags.join(' ') || '(empty)'}.`;
    case 'none':
      return `No rustflags apply to ${flags.target}; add -C target-feature=+simd128 in .cargo/config.toml.`;
  }
}

function simdFix(wasm: WasmCrate, flags: EffectiveRustflags, definition: RustflagsDefinition | undefined): Fix | undefined {
  const { target } = flags;
  // Only CARGO_BUILD_RUSTFLAGS is set: a [target] table would silently replace it, so add to [build].
  const table = flags.winner === 'build' ? ['build'] : ['target', target];
  const header = flags.winner === 'build' ? '[build]' : `[target.${target}]`;
  const title = 'Add -C target-feature=+simd128 to rustflags';
  if (definition) {
    if (definition.source.kind !== 'file') return undefined;
    const { file, keyPath } = definition.source;
    const entry = wasm.model.documents.get(file)?.get(keyPath);
    const edit = entry && appendSimdFlags(entry);
    return edit ? { title, preferred: true, applicability: 'unsafe', changes: [{ file, edits: [edit] }] } : undefined;
  }
  const rootDir = dirname(wasm.crate.workspaceRoot);
  const existing = layerInside(
    wasm.build.configs.map((path) => ({ path })),
    rootDir,
  );
  if (existing) {
    const document = wasm.model.documents.get(existing.path);
    const edit = document?.insertKey(table, 'rustflags', SIMD_ARRAY);
    return edit ? { title, preferred: true, applicability: 'unsafe', changes: [{ file: existing.path, edits: [edit] }] } : undefined;
  }
  const created = join(rootDir, '.cargo', 'config.toml');
  // A config that exists but does not parse must not be overwritten by a "create".
  if (wasm.model.problems.some((p) => dirname(p.file) === join(rootDir, '.cargo'))) return undefined;
  return {
    title: `Create .cargo/config.toml with -C target-feature=+simd128 for ${target}`,
    preferred: true,
    applicability: 'unsafe',
    changes: [{ file: created, create: true, edits: [{ start: 0, end: 0, newText: `${header}\nrustflags = ${SIMD_ARRAY}\n` }] }],
  };
}

/**
 * The workspace's native crates run wasm only on a wasmi built without its `simd` feature
 * (see the docs): then a plain module's only consumer cannot use SIMD.
 */
function hostsAreOnlyWasmiWithoutSimd(workspace: WorkspaceModel): boolean {
  let wasmiWithoutSimd = false;
  for (const crate of workspace.cargo.crates) {
    if (crate.wasm) continue;
    if (SIMD_HOSTS.some((name) => crate.dependencies.has(name))) return false;
    const wasmi = crate.dependencies.get('wasmi');
    if (!wasmi) continue;
    if (wasmi.features.includes('simd')) return false;
    wasmiWithoutSimd = true;
  }
  return wasmiWithoutSimd;
}
