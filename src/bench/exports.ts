import { unbenchmarkableReason } from './driver';
import { isWasiImport } from './instantiate';
import { describeImport, functionType, parseModule } from './wasm-binary';
import type { ExportSignature, ModuleOverview } from './types';

/** What the panel shows before a run: every exported function, and whether it can be timed. */
export function listBenchmarkableExports(bytes: Uint8Array): ModuleOverview {
  const module = parseModule(bytes);
  const exports: ExportSignature[] = module.exports
    .filter((entry) => entry.kind === 'func')
    .map((entry) => {
      const type = functionType(module, entry.index);
      if (!type) return { name: entry.name, params: [], results: [], benchmarkable: false, reason: 'refers to a missing function' };
      const reason = unbenchmarkableReason(type);
      return {
        name: entry.name,
        params: type.params,
        results: type.results,
        benchmarkable: reason === undefined,
        ...(reason ? { reason } : {}),
      };
    });
  return {
    exports,
    imports: module.imports.map((entry) => describeImport(module, entry)),
    wasi: module.imports.some(isWasiImport),
    needsStubs: module.imports.some((entry) => !isWasiImport(entry)),
    reactor: module.exports.some((entry) => entry.name === '_initialize' && entry.kind === 'func'),
  };
}
