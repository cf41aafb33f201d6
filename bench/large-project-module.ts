/**
 * A module shaped like a large real project's debug-ish release build: hundreds of thousands
 * of small functions of uneven size, a `name` section with function and local names of
 * Rust-like length, DWARF custom sections, producers and target_features. Generated at bench
 * time (never committed), deterministically, straight into one preallocated buffer.
 */
import { ByteChunks, section, uleb } from '../src/core/wasm/encode';

const I32 = 0x7f;

export interface LargeProjectShape {
  readonly functions: number;
  /** Bytes of `.debug_*` sections in total. */
  readonly dwarfBytes: number;
}

/** The shape measured on a real 45 MB module (290,000 functions, 12 MB of names, 8 MB of DWARF). */
export const LARGE_PROJECT: LargeProjectShape = { functions: 290_000, dwarfBytes: 8 * 1024 * 1024 };

/** A small deterministic generator (xorshift32), so every run builds the same bytes. */
function random(seed: number): () => number {
  let state = seed >>> 0 || 1;
  return () => {
    state ^= state << 13;
    state ^= state >>> 17;
    state ^= state << 5;
    return (state >>> 0) / 2 ** 32;
  };
}

/** `(l0 + l1) * l0 -> l0; i32.load offset=16 -> l1`: stack-neutral, valid in every body. */
const CHUNK = [0x20, 0, 0x20, 1, 0x6a, 0x20, 0, 0x6c, 0x21, 0, 0x20, 0, 0x28, 2, 16, 0x21, 1];
const CRATES = ['core', 'alloc', 'std', 'serde_json', 'regex_automata', 'hashbrown', 'wasm_bindgen', 'app'];
const MODULES = ['fmt', 'vec', 'raw_vec', 'iter', 'de', 'ser', 'map', 'dfa', 'nfa', 'str', 'sync', 'io'];
const VERBS = ['write_str', 'push', 'grow_one', 'next', 'deserialize', 'visit_map', 'insert', 'search', 'from_iter', 'drop'];
const LOCAL_NAMES = ['self', 'ptr', 'len', 'cap', 'value', 'iter', 'result', 'état'];

function functionName(index: number, next: () => number): string {
  const pick = (list: readonly string[]) => list[Math.floor(next() * list.length)]!;
  return `${pick(CRATES)}::${pick(MODULES)}::${pick(VERBS)}_${index.toString(36)}`;
}

/** How many chunks a body holds: most functions are tiny, a few are huge (like real code). */
function chunkCount(next: () => number): number {
  const r = next();
  if (r < 0.0005) return 200 + Math.floor(next() * 3000);
  if (r < 0.05) return 10 + Math.floor(next() * 40);
  return Math.floor(next() * 6);
}

function bodyBytes(chunks: number): number[] {
  const body = [1, 2, I32]; // two more i32 locals
  for (let i = 0; i < chunks; i++) body.push(...CHUNK);
  body.push(0x20, 0, 0x0b);
  return [...uleb(body.length), ...body];
}

function customSection(name: string, payload: Uint8Array | readonly number[]): number[] {
  const nameBytes = [...new TextEncoder().encode(name)];
  return section(0, [...uleb(nameBytes.length), ...nameBytes, ...payload]);
}

function nameSection(count: number, imported: number, next: () => number): Uint8Array {
  const encoder = new TextEncoder();
  const functions = new ByteChunks();
  const locals = new ByteChunks();
  functions.push(uleb(count));
  locals.push(uleb(count));
  for (let index = 0; index < count; index++) {
    const name = encoder.encode(functionName(index, next));
    functions.push([...uleb(index), ...uleb(name.length), ...name]);
    const local = encoder.encode(LOCAL_NAMES[index % LOCAL_NAMES.length]);
    locals.push([...uleb(index), 1, index < imported ? 0 : 2, ...uleb(local.length), ...local]);
  }
  const functionBytes = functions.bytes();
  const localBytes = locals.bytes();
  const payload = new ByteChunks();
  payload.push([1, ...uleb(functionBytes.length)]);
  payload.push(functionBytes);
  payload.push([2, ...uleb(localBytes.length)]);
  payload.push(localBytes);
  const nameLength = [4, 0x6e, 0x61, 0x6d, 0x65];
  const body = payload.bytes();
  const out = new ByteChunks();
  out.push([0, ...uleb(nameLength.length + body.length), ...nameLength]);
  out.push(body);
  return out.bytes();
}

function dwarfSections(totalBytes: number, next: () => number): Uint8Array {
  const shares: [string, number][] = [
    ['.debug_abbrev', 0.02],
    ['.debug_info', 0.55],
    ['.debug_str', 0.18],
    ['.debug_line', 0.2],
    ['.debug_ranges', 0.05],
  ];
  const out = new ByteChunks();
  for (const [name, share] of shares) {
    const payload = new Uint8Array(Math.floor(totalBytes * share));
    for (let i = 0; i < payload.length; i++) payload[i] = Math.floor(next() * 256);
    out.push(customSection(name, payload));
  }
  return out.bytes();
}

/** The module: two imports, `functions` defined bodies, memory, an export, DWARF, names, producers. */
export function generateLargeProjectModule(shape: LargeProjectShape = LARGE_PROJECT): Uint8Array {
  const next = random(0x5eed);
  const imported = 2;
  const defined = shape.functions - imported;
  const type = section(1, [1, 0x60, 2, I32, I32, 1, I32]);
  const env = [3, 0x65, 0x6e, 0x76];
  const imports = section(2, [2, ...env, 1, 0x61, 0, 0, ...env, 1, 0x62, 0, 0]);
  const functionSection = new ByteChunks();
  functionSection.push([3, ...uleb(uleb(defined).length + defined), ...uleb(defined)]);
  functionSection.push(new Uint8Array(defined));
  const memory = section(5, [1, 0x00, 17]);
  const exports = section(7, [1, 4, 0x6d, 0x61, 0x69, 0x6e, 0x00, ...uleb(imported)]);

  const bodies = new ByteChunks();
  const templates = new Map<number, Uint8Array>();
  for (let i = 0; i < defined; i++) {
    const chunks = chunkCount(next);
    let body = templates.get(chunks);
    if (!body) templates.set(chunks, (body = Uint8Array.from(bodyBytes(chunks))));
    bodies.push(body);
  }
  const countBytes = uleb(defined);

  const producersPayload = [
    2,
    ...[8, ...new TextEncoder().encode('language'), 1, 4, ...new TextEncoder().encode('Rust'), 0],
    ...[
      12,
      ...new TextEncoder().encode('processed-by'),
      1,
      5,
      ...new TextEncoder().encode('rustc'),
      6,
      ...new TextEncoder().encode('1.85.0'),
    ],
  ];
  const featuresPayload = [2, 0x2b, 15, ...new TextEncoder().encode('mutable-globals'), 0x2b, 8, ...new TextEncoder().encode('sign-ext')];

  const module = new ByteChunks();
  module.push([0x00, 0x61, 0x73, 0x6d, 1, 0, 0, 0, ...type, ...imports]);
  module.push(functionSection.bytes());
  module.push([...memory, ...exports]);
  module.push([10, ...uleb(countBytes.length + bodies.length), ...countBytes]);
  module.push(bodies.bytes());
  module.push(dwarfSections(shape.dwarfBytes, next));
  module.push(nameSection(shape.functions, imported, next));
  module.push(customSection('producers', producersPayload));
  module.push(customSection('target_features', featuresPayload));
  return module.bytes();
}
