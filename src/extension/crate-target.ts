/** The wasm target the latest analysis found for a crate (its config, toolchain file, build scripts, spin.toml…). */
import type { DiagnosticStore } from './diagnostic-store';

export function analysedWasmTarget(store: Pick<DiagnosticStore, 'allSnapshots'>, crateDir: string): string | undefined {
  const wanted = crateDir.replace(/\/+$/, '');
  for (const snapshot of store.allSnapshots()) {
    for (const crate of snapshot.result.model.cargo?.crates ?? []) {
      if (snapshot.mapper.toUri(crate.dir).fsPath === wanted) return crate.wasm?.targets[0];
    }
  }
  return undefined;
}
