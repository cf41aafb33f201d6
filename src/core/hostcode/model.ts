// Placeholder: the host-code area (tree-sitter facts about runtime embeddings) fills this in.
export interface HostCodeModel {
  readonly files: readonly unknown[];
}

/** The model when nothing could be loaded (the engine uses it if the loader fails). */
export function emptyHostCodeModel(): HostCodeModel {
  return { files: [] };
}
