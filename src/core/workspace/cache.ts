/**
 * Derived values (parsed TOML, syntax-tree facts, binary reports) survive from one
 * analysis to the next while the file they came from is unchanged. This is what makes
 * re-analysis after one edit cheap: only the edited file is parsed again.
 */
export class DerivedCache {
  private readonly entries = new Map<string, { key: string; value: unknown }>();

  get<T>(namespace: string, path: string, key: string, compute: () => T): T {
    const id = `${namespace}\0${path}`;
    const hit = this.entries.get(id);
    if (hit && hit.key === key) return hit.value as T;
    const value = compute();
    this.entries.set(id, { key, value });
    return value;
  }

  /** Was anything derived from this path before, whatever its content then? */
  knows(namespace: string, path: string): boolean {
    return this.entries.has(`${namespace}\0${path}`);
  }

  /** Is a value for this content already there (so the caller can skip work that only feeds `compute`)? */
  has(namespace: string, path: string, key: string): boolean {
    return this.entries.get(`${namespace}\0${path}`)?.key === key;
  }

  /** Forget everything derived from these paths (deleted or renamed files). */
  forget(paths: Iterable<string>): void {
    const set = new Set(paths);
    for (const id of [...this.entries.keys()]) {
      if (set.has(id.slice(id.indexOf('\0') + 1))) this.entries.delete(id);
    }
  }

  clear(): void {
    this.entries.clear();
  }
}

/** A fast content key for binaries: size plus FNV-1a over a sparse sample and the whole tail. */
export function bytesKey(bytes: Uint8Array): string {
  let hash = 0x811c9dc5;
  const step = Math.max(1, Math.floor(bytes.length / 65536));
  for (let i = 0; i < bytes.length; i += step) hash = Math.imul(hash ^ bytes[i]!, 0x01000193);
  for (let i = Math.max(0, bytes.length - 4096); i < bytes.length; i++) hash = Math.imul(hash ^ bytes[i]!, 0x01000193);
  return `${bytes.length}:${(hash >>> 0).toString(16)}`;
}
