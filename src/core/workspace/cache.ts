/**
 * The engine's one cache across analyses, at the loader boundary. Each entry is a value
 * derived from one file (parsed TOML, syntax-tree facts, binary reports) or from one
 * discovered file list, stored with the key it was derived under; it survives while that key
 * is unchanged. This is what makes re-analysis after one edit cheap: only what the edited
 * file feeds is derived again.
 *
 * A key is the content the value depends on: a string (a file's text, compared by content;
 * an unchanged file's re-used read gives the very same string, so the comparison is
 * immediate), or a list of parts compared one by one with `===`: strings by content, objects
 * by identity. Objects that come out of this cache (a parsed document, a discovered file
 * list) are the same object exactly while their own content is unchanged, so a derived
 * value keyed by them is reused exactly while its inputs are.
 */
export type CacheKey = string | readonly unknown[];

export class DerivedCache {
  private readonly entries = new Map<string, { key: CacheKey; value: unknown }>();

  get<T>(namespace: string, path: string, key: CacheKey, compute: () => T): T {
    const id = `${namespace}\0${path}`;
    const hit = this.entries.get(id);
    if (hit && sameKey(hit.key, key)) return hit.value as T;
    const value = compute();
    this.entries.set(id, { key, value });
    return value;
  }

  /** The value last stored for this path, whatever its key (a loader's previous result, to compare against). */
  latest<T>(namespace: string, path: string): T | undefined {
    return this.entries.get(`${namespace}\0${path}`)?.value as T | undefined;
  }

  /** Store a value computed elsewhere (see `latest`). */
  put(namespace: string, path: string, key: CacheKey, value: unknown): void {
    this.entries.set(`${namespace}\0${path}`, { key, value });
  }

  /** Was anything derived from this path before, whatever its content then? */
  knows(namespace: string, path: string): boolean {
    return this.entries.has(`${namespace}\0${path}`);
  }

  /** Is a value for this content already there (so the caller can skip work that only feeds `compute`)? */
  has(namespace: string, path: string, key: CacheKey): boolean {
    const hit = this.entries.get(`${namespace}\0${path}`);
    return hit !== undefined && sameKey(hit.key, key);
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

export function sameKey(a: CacheKey, b: CacheKey): boolean {
  if (typeof a === 'string' || typeof b === 'string') return a === b;
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return false;
  return true;
}

/** A fast content key for binaries: size plus FNV-1a over a sparse sample and the whole tail. */
export function bytesKey(bytes: Uint8Array): string {
  let hash = 0x811c9dc5;
  const step = Math.max(1, Math.floor(bytes.length / 65536));
  for (let i = 0; i < bytes.length; i += step) hash = Math.imul(hash ^ bytes[i]!, 0x01000193);
  for (let i = Math.max(0, bytes.length - 4096); i < bytes.length; i++) hash = Math.imul(hash ^ bytes[i]!, 0x01000193);
  return `${bytes.length}:${(hash >>> 0).toString(16)}`;
}
