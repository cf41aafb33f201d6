/**
 * Cheap keys for memoizing derived cargo results across analyses. Parsed documents come
 * from the content-keyed cache, so an unchanged file yields the very same object: a key
 * made of object identities (small numbers) changes exactly when an input changed,
 * without hashing or concatenating file texts.
 */
const identities = new WeakMap<object, number>();
let nextIdentity = 1;

/** A number unique to this object for as long as it lives. */
export function identityOf(value: object): number {
  let id = identities.get(value);
  if (id === undefined) identities.set(value, (id = nextIdentity++));
  return id;
}

/** Identity of an optional object; `-` when absent. */
export function optionalIdentity(value: object | undefined): string {
  return value === undefined ? '-' : String(identityOf(value));
}

/**
 * The environment variables cargo's configuration reads (CARGO_*, RUSTFLAGS, and the home
 * directories that locate `$CARGO_HOME`), as one canonical string.
 */
export function cargoEnvText(env: Readonly<Record<string, string | undefined>>): string {
  const relevant: [string, string][] = [];
  for (const [name, value] of Object.entries(env)) {
    if (value === undefined) continue;
    if (name.startsWith('CARGO_') || name === 'RUSTFLAGS' || name === 'HOME' || name === 'USERPROFILE') relevant.push([name, value]);
  }
  relevant.sort((a, b) => (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : 0));
  return JSON.stringify(relevant);
}
