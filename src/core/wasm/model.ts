// Placeholder: the wasm area (binary reader and report) fills this in.
export interface BinaryModel {
  readonly files: readonly unknown[];
}

/** The model when nothing could be loaded (the engine uses it if the loader fails). */
export function emptyBinaryModel(): BinaryModel {
  return { files: [] };
}
