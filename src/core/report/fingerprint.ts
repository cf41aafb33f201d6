/** A stable, dependency-free content hash for SARIF fingerprints (64-bit FNV-1a, hex). */
const OFFSET_BASIS = 0xcbf29ce484222325n;
const PRIME = 0x100000001b3n;
const MASK = 0xffffffffffffffffn;

export function fingerprint(parts: readonly string[]): string {
  let hash = OFFSET_BASIS;
  // The separator keeps ["ab", "c"] and ["a", "bc"] apart.
  for (const byte of new TextEncoder().encode(parts.join('\u0000'))) {
    hash ^= BigInt(byte);
    hash = (hash * PRIME) & MASK;
  }
  return hash.toString(16).padStart(16, '0');
}
