/**
 * Where a crate's own wasm build lands, to list its exports before anything is built by us:
 * `<target dir>/<wasm triple>/release/<lib name>.wasm`, with the target dir in the crate or
 * in a cargo workspace above it.
 */
import { existsSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { parseTomlDocument } from '../../core/cargo/toml-document';

const WASM_TRIPLES = ['wasm32-unknown-unknown', 'wasm32-wasip1', 'wasm32-wasi', 'wasm32-wasip2'];
const MAX_LEVELS_UP = 8;

/** The library's artifact name: `[lib] name`, else the package name with `-` as `_`. */
export function artifactName(manifestText: string): string | undefined {
  const parsed = parseTomlDocument(manifestText);
  if (!parsed.ok) return undefined;
  const lib = parsed.document.value(['lib', 'name']);
  if (typeof lib === 'string' && lib !== '') return lib;
  const name = parsed.document.value(['package', 'name']);
  return typeof name === 'string' && name !== '' ? name.replace(/-/g, '_') : undefined;
}

/** The newest-looking release build of the crate for a wasm target, if one exists. */
export async function findCrateArtifact(manifestPath: string): Promise<string | undefined> {
  const name = artifactName(await readFile(manifestPath, 'utf8'));
  if (!name) return undefined;
  let dir = dirname(manifestPath);
  for (let level = 0; level < MAX_LEVELS_UP; level++) {
    for (const triple of WASM_TRIPLES) {
      const candidate = join(dir, 'target', triple, 'release', `${name}.wasm`);
      if (existsSync(candidate)) return candidate;
    }
    const parent = dirname(dir);
    if (parent === dir) break;
    dir = parent;
  }
  return undefined;
}
