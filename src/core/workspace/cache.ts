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

interface Entry {
  readonly key: CacheKey;
  readonly value: unknown;
}

export class DerivedCache {
  /**
   * By namespace, then by path: the path strings come from the discovered file list (the same
   * string objects, hashed once), so a lookup builds no string.
   */
  private readonly namespaces = new Map<string, Map<string, Entry>>();

  private entries(namespace: string): Map<string, Entry> {
    let entries = this.namespaces.get(namespace);
    if (!entries) this.namespaces.set(namespace, (entries = new Map()));
    return entries;
  }

  get<T>(namespace: string, path: string, key: CacheKey, compute: () => T): T {
    const entries = this.entries(namespace);
    const hit = entries.get(path);
    if (hit && sameKey(hit.key, key)) return hit.value as T;
    const value = compute();
    entries.set(path, { key, value });
    return value;
  }

  /** The value last stored for this path, whatever its key (a loader's previous result, to compare against). */
  latest<T>(namespace: string, path: string): T | undefined {
    return this.namespaces.get(namespace)?.get(path)?.value as T | undefined;
  }

  /** Store a value computed elsewhere (see `latest`). */
  put(namespace: string, path: string, key: CacheKey, value: unknown): void {
    this.entries(namespace).set(path, { key, value });
  }

  /** Forget everything derived from these paths (deleted or renamed files). */
  forget(paths: Iterable<string>): void {
    const list = [...paths];
    for (const entries of this.namespaces.values()) for (const path of list) entries.delete(path);
  }

  clear(): void {
    this.namespaces.clear();
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
