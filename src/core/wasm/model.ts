/**
 * The binaries area's model. `BinaryFile` is the contract other areas and hosts rely on;
 * `WasmReport` (the wasm area's inspection result) is defined by the wasm area.
 */
import type { FilePath } from '../model';
import type { ReadFailure } from '../workspace/reader';

export interface BinaryFile {
  readonly path: FilePath;
  readonly size: number;
  /** The read failed or was skipped (too large, unreadable). */
  readonly failure?: ReadFailure;
}

export interface BinaryModel {
  readonly files: readonly BinaryFile[];
}

/** The model when nothing could be loaded (the engine uses it if the loader fails). */
export function emptyBinaryModel(): BinaryModel {
  return { files: [] };
}
