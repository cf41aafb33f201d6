/**
 * Function names read on demand (src/core/wasm/function-names.ts) against a plain eager decode
 * of the same subsection, on every real and golden binary and on hand-made edge cases, and the
 * promise behind the laziness: a report decodes only the names it shows.
 */
import assert from 'node:assert/strict';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { decodedNameCount } from '../../src/core/wasm/function-names';
import { inspectWasm } from '../../src/core/wasm/inspect';
import type { ModuleReport } from '../../src/core/wasm/model';
import { ByteChunks } from '../../src/core/wasm/encode';
import { custom, HEADER, moduleWithBodies, name, section, uleb } from './bytes';

function wasmFiles(dir: string): string[] {
  return readdirSync(dir).flatMap((entry) => {
    const path = join(dir, entry);
    if (statSync(path).isDirectory()) return wasmFiles(path);
    return entry.endsWith('.wasm') ? [path] : [];
  });
}

/** The simplest eager reading of a `name` section's function names: one string per entry, the last name of an index wins. */
function eagerNames(bytes: Uint8Array, module: ModuleReport): Map<number, string> {
  const names = new Map<number, string>();
  const section = module.customSections.find((s) => s.name === 'name');
  if (!section) return names;
  let p = section.offset + 1;
  const leb = (): number => {
    let value = 0;
    for (let shift = 0; ; shift += 7) {
      const byte = bytes[p++]!;
      value += (byte & 0x7f) * 2 ** shift;
      if (byte < 0x80) return value;
    }
  };
  const text = (): string => {
    const length = leb();
    p += length;
    return new TextDecoder('utf-8', { fatal: true }).decode(bytes.subarray(p - length, p));
  };
  const end = p + leb();
  text(); // "name"
  while (p < end) {
    const id = bytes[p++]!;
    const size = leb();
    const next = p + size;
    if (id === 1) for (let i = 0, n = leb(); i < n; i++) names.set(leb(), text());
    p = next;
  }
  return names;
}

function singleModule(bytes: Uint8Array): ModuleReport {
  const report = inspectWasm(bytes);
  assert.equal(report.error, undefined);
  return report.modules[0]!;
}

/** A name section payload with the given (index, name) entries in subsection 1, plus local names for function 0. */
function nameSection(entries: readonly (readonly [number, string])[]): number[] {
  const functions = [...uleb(entries.length), ...entries.flatMap(([index, text]) => [...uleb(index), ...name(text)])];
  const locals = [1, 0, 1, 0, ...name('x')];
  return custom('name', [1, ...uleb(functions.length), ...functions, 2, ...uleb(locals.length), ...locals]);
}

/** `count` functions `() -> ()`, each named; function `larger` has three `nop`s so it is the largest. */
function manyNamedFunctions(count: number, larger: number): Uint8Array {
  const out = new ByteChunks();
  out.push([...HEADER, ...section(1, [1, 0x60, 0, 0])]);
  const countBytes = uleb(count);
  out.push([3, ...uleb(countBytes.length + count), ...countBytes]);
  out.push(new Uint8Array(count));
  const body = Uint8Array.of(2, 0, 0x0b);
  out.push([10, ...uleb(countBytes.length + count * body.length + 3), ...countBytes]);
  for (let i = 0; i < count; i++) out.push(i === larger ? [5, 0, 1, 1, 1, 0x0b] : body);
  const names = new ByteChunks();
  names.push(countBytes);
  for (let i = 0; i < count; i++) names.push([...uleb(i), ...name(`crate::module::function_${i}`)]);
  const payload = [...name('name'), 1, ...uleb(names.length)];
  out.push([0, ...uleb(payload.length + names.length), ...payload]);
  out.push(names.bytes());
  return out.bytes();
}

describe('function names on demand', () => {
  it('equal an eager decode on every fixture and golden binary', () => {
    const files = [...wasmFiles(join(process.cwd(), 'test/fixtures/wasm')), ...wasmFiles(join(process.cwd(), 'test/fixtures/golden'))];
    let named = 0;
    for (const file of files) {
      const bytes = new Uint8Array(readFileSync(file));
      const report = inspectWasm(bytes);
      for (const module of report.modules) {
        const expected = module.customSectionProblems?.some((p) => p.message.startsWith('name section'))
          ? new Map()
          : eagerNames(bytes, module);
        assert.deepEqual([...module.functions.names], [...expected], file);
        assert.equal(module.functions.names.size, expected.size, file);
        for (const f of module.functions.largest) assert.equal(f.name, expected.get(f.index), `${file}: func[${f.index}]`);
        named += expected.size;
      }
    }
    assert.ok(files.length > 20 && named > 1000, `${files.length} binaries, ${named} names: the comparison covers real name sections`);
  });

  it('answers by index, keeps the last of repeated indices, and finds a prefix without decoding', () => {
    const bytes = moduleWithBodies([[], [], []], {
      after: [
        nameSection([
          [2, 'zeta'],
          [0, '~lib/rt/alloc'],
          [2, 'état'],
        ]),
      ],
    });
    const names = singleModule(bytes).functions.names;
    assert.deepEqual([...names].sort(), [
      [0, '~lib/rt/alloc'],
      [2, 'état'],
    ]);
    assert.equal(names.size, 2);
    assert.equal(names.get(1), undefined);
    assert.equal(names.someStartsWith('~lib/'), true);
    assert.equal(names.someStartsWith('~lob/'), false);
    const sorted = singleModule(
      moduleWithBodies([[], []], {
        after: [
          nameSection([
            [0, 'a'],
            [1, '~lib/b'],
          ]),
        ],
      }),
    ).functions.names;
    assert.equal(sorted.someStartsWith('~lib/'), true);
    assert.equal(sorted.someStartsWith('~lib/bc'), false);
    assert.equal(sorted.get(1), '~lib/b');
  });

  it('reports a bad name anywhere in the section, as a full decode would, and keeps no names', () => {
    const entries: [number, string][] = Array.from({ length: 300 }, (_, i) => [i, `f${i}`]);
    const good = moduleWithBodies([[]], { after: [nameSection(entries)] });
    const at = good.lastIndexOf(0x66); // the 'f' of the last name
    const bad = Uint8Array.from(good);
    bad[at] = 0xc0; // never valid in UTF-8
    const module = singleModule(bad);
    assert.deepEqual(module.customSectionProblems, [
      { offset: at, message: 'name section: malformed UTF-8 encoding: expected a valid UTF-8 name' },
    ]);
    assert.equal(module.functions.names.size, 0);
    const longer = Uint8Array.from(good);
    const sizeAt = Buffer.from(good).indexOf(Buffer.from([4, 0x6e, 0x61, 0x6d, 0x65, 1])) + 6;
    longer[sizeAt] = good[sizeAt]! + 1; // the function names subsection claims one byte more than its names
    assert.deepEqual(
      singleModule(longer).customSectionProblems?.[0]?.message,
      'name section: the function names subsection ends 1 bytes before the end of its section',
    );
  });

  it('decodes only the names a report shows, however large the name section', () => {
    const count = 200_000;
    const bytes = manyNamedFunctions(count, 1234);
    const before = decodedNameCount();
    const module = singleModule(bytes);
    assert.equal(module.functions.names.size, count);
    assert.ok(decodedNameCount() - before <= module.functions.largest.length, `${decodedNameCount() - before} names decoded`);
    assert.equal(module.functions.largest[0]!.name, 'crate::module::function_1234');
    assert.equal(module.functions.names.get(199_999), 'crate::module::function_199999');
  });

  it('index a name section of many windows (2 MB, 16,384 names each) as an eager decode does, non-ASCII and bad names deep inside too', () => {
    const count = 200_000;
    const bytes = manyNamedFunctions(count, 0);
    const module = singleModule(bytes);
    assert.deepEqual(new Map(module.functions.names), eagerNames(bytes, module));
    // Deep in the third window, 'crate' becomes 'crâte': valid UTF-8 that only the exact reader indexes.
    const deep = Buffer.from(bytes).indexOf('crate::module::function_150000');
    const accented = Uint8Array.from(bytes);
    accented.set([0x63, 0x72, 0xc3, 0xa2], deep); // "cr" + "â" in place of "crat"
    const accentedModule = singleModule(accented);
    assert.equal(accentedModule.functions.names.get(150_000), 'crâe::module::function_150000');
    assert.equal(accentedModule.functions.names.get(149_999), 'crate::module::function_149999');
    const bad = Uint8Array.from(bytes);
    bad[deep + 2] = 0xc0;
    assert.deepEqual(singleModule(bad).customSectionProblems, [
      { offset: deep + 2, message: 'name section: malformed UTF-8 encoding: expected a valid UTF-8 name' },
    ]);
  });

  it('read from the file until detached, then from their own copy', () => {
    const bytes = moduleWithBodies([[]], { after: [nameSection([[0, 'before']])] });
    const names = singleModule(bytes).functions.names;
    const at = Buffer.from(bytes).indexOf('before');
    bytes[at] = 0x42; // 'B'
    assert.equal(names.get(0), 'Before', 'a view of the file');
    names.detach();
    bytes.fill(0x2a, at, at + 6);
    assert.equal(names.get(0), 'Before', 'detached: the file can change or go');
  });
});
