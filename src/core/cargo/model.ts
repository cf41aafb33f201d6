// Placeholder: the cargo area (manifests, config chain, profiles, rustflags) fills this in.
export interface CargoModel {
  readonly crates: readonly unknown[];
}

/** The model when nothing could be loaded (the engine uses it if the loader fails). */
export function emptyCargoModel(): CargoModel {
  return { crates: [] };
}
