/**
 * The binary reader on small modules: sections, imports/exports, names, producers,
 * target_features, every opcode prefix class and the immediates that decide skipping.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { inspectWasm } from '../../src/core/wasm/inspect';
import type { ModuleReport, WasmReport } from '../../src/core/wasm/model';
import { COMPONENT_HEADER, custom, HEADER, moduleWithBodies, name, section, uleb, V128_CONST, wasm } from './bytes';
import { wat } from './wat';

function decoded(bytes: Uint8Array): { report: WasmReport; module: ModuleReport } {
  const report = inspectWasm(bytes);
  assert.equal(report.error, undefined, `unexpected error: ${report.error?.message} at ${report.error?.offset}`);
  assert.ok(report.modules[0]);
  return { report, module: report.modules[0] };
}

describe('wasm reader: module structure', () => {
  it('lists sections with offsets and sizes, imports and exports with signatures, and names', async () => {
    const bytes = await wat(
      `(module
        (import "env" "log" (func $log (param i32 f64)))
        (import "env" "mem" (memory 1))
        (import "env" "g" (global $g (mut i32)))
        (func $add (export "add") (param i32 i32) (result i32) local.get 0 local.get 1 i32.add)
        (func $big (export "big") (result i64) i64.const 1 i64.const 2 i64.add i64.const 3 i64.mul)
        (global $h (export "h") i32 (i32.const 7))
        (export "memory" (memory 0)))`,
      { names: true },
    );
    const { report, module } = decoded(bytes);
    assert.equal(report.kind, 'module');
    assert.equal(report.version, 1);
    assert.equal(report.fileSize, bytes.length);
    assert.deepEqual(
      module.sections.map((s) => s.name),
      ['type', 'import', 'function', 'global', 'export', 'code', 'custom:name'],
    );
    const type = module.sections[0]!;
    assert.equal(type.offset, 8);
    assert.equal(bytes[type.offset], 1);
    const last = module.sections[module.sections.length - 1]!;
    assert.equal(last.payloadOffset + last.size, bytes.length, 'the last section ends at the end of the file');
    assert.deepEqual(module.imports, [
      { module: 'env', name: 'log', kind: 'func', typeIndex: 0, signature: { params: ['i32', 'f64'], results: [] } },
      { module: 'env', name: 'mem', kind: 'memory' },
      { module: 'env', name: 'g', kind: 'global' },
    ]);
    assert.deepEqual(module.exports, [
      { name: 'add', kind: 'func', index: 1, signature: { params: ['i32', 'i32'], results: ['i32'] } },
      { name: 'big', kind: 'func', index: 2, signature: { params: [], results: ['i64'] } },
      { name: 'h', kind: 'global', index: 1 },
      { name: 'memory', kind: 'memory', index: 0 },
    ]);
    assert.equal(module.functions.count, 3);
    assert.equal(module.functions.imported, 1);
    assert.deepEqual(
      [...module.functions.names],
      [
        [0, 'log'],
        [1, 'add'],
        [2, 'big'],
      ],
    );
    assert.deepEqual([...module.functions.bodySizes], [7, 10]);
    assert.deepEqual(
      module.functions.largest.map((f) => [f.index, f.name, f.size]),
      [
        [2, 'big', 10],
        [1, 'add', 7],
      ],
    );
    for (const [i, offset] of module.functions.bodyOffsets.entries()) {
      assert.equal(bytes[offset], module.functions.bodySizes[i], 'the body offset points at its size byte');
    }
    assert.deepEqual(module.features, ['mutable-globals']);
    // add: 3 + end; big: 5 + end; the global's initializer: i32.const + end.
    assert.equal(module.instructions.total, 4 + 6 + 2);
  });

  it('reads producers and target_features (with "=" read as "+"), and sizes debug sections', () => {
    const producers = custom('producers', [
      2,
      ...name('language'),
      1,
      ...name('Rust'),
      ...name(''),
      ...name('processed-by'),
      2,
      ...name('rustc'),
      ...name('1.63.0 (4b91a6ea7 2022-08-08)'),
      ...name('wasm-bindgen'),
      ...name('0.2.92'),
    ]);
    const features = custom('target_features', [3, 0x2b, ...name('simd128'), 0x3d, ...name('sign-ext'), 0x2d, ...name('atomics')]);
    const debugInfo = custom('.debug_info', new Array<number>(40).fill(1));
    const debugLine = custom('.debug_line', new Array<number>(10).fill(2));
    const bytes = moduleWithBodies([[]], { after: [debugInfo, debugLine, producers, features] });
    const { module } = decoded(bytes);
    assert.deepEqual(module.producers, {
      language: [{ name: 'Rust', version: '' }],
      processedBy: [
        { name: 'rustc', version: '1.63.0 (4b91a6ea7 2022-08-08)' },
        { name: 'wasm-bindgen', version: '0.2.92' },
      ],
      sdk: [],
    });
    assert.deepEqual(module.targetFeatures, [
      { prefix: '+', name: 'simd128' },
      { prefix: '+', name: 'sign-ext' },
      { prefix: '-', name: 'atomics' },
    ]);
    assert.deepEqual(
      module.customSections.map((s) => s.name),
      ['.debug_info', '.debug_line', 'producers', 'target_features'],
    );
    assert.deepEqual(
      module.debugSections.map((s) => [s.name, s.size]),
      [
        ['.debug_info', debugInfo.length],
        ['.debug_line', debugLine.length],
      ],
    );
    assert.equal(module.debugBytes, debugInfo.length + debugLine.length);
    assert.equal(bytes[module.debugSections[0]!.offset], 0, 'a custom section offset points at its id byte');
    assert.equal(module.customSectionProblems, undefined);
  });

  it('keeps a broken producers section as a problem instead of failing the module', () => {
    const bytes = moduleWithBodies([[]], { after: [custom('producers', [1, ...name('language'), 5])] });
    const { module } = decoded(bytes);
    assert.equal(module.producers, undefined);
    assert.equal(module.customSectionProblems?.length, 1);
    assert.match(module.customSectionProblems[0]!.message, /^producers section: /);
  });

  it('reports target_features as absent when the section is missing', () => {
    const { module } = decoded(moduleWithBodies([[0x01]]));
    assert.equal(module.targetFeatures, undefined);
    assert.equal(module.producers, undefined);
  });
});

describe('wasm reader: instruction walk', () => {
  it('skips every SIMD immediate layout and counts SIMD and relaxed SIMD separately', () => {
    const shuffle = [0xfd, 0x0d, ...Array.from({ length: 16 }, (_, i) => i)];
    const bodyBytes = [
      ...V128_CONST(0x0b), // 16 immediate bytes that look like `end`
      ...shuffle,
      0xfd,
      0x15,
      3, // i8x16.extract_lane_s 3
      0xfd,
      0x22,
      1, // f64x2.replace_lane 1
      0xfd,
      0x00,
      4,
      0x80,
      0x01, // v128.load align=16 offset=128 (two-byte LEB)
      0xfd,
      0x54,
      0,
      8,
      15, // v128.load8_lane offset=8 lane 15
      0xfd,
      0x5d,
      3,
      0, // v128.load64_zero
      0xfd,
      0xae,
      0x01, // i32x4.add (two-byte sub-opcode)
      0xfd,
      0x80,
      0x02, // i8x16.relaxed_swizzle (256)
      0xfd,
      0x93,
      0x02, // i32x4.relaxed_dot_i8x16_i7x16_add_s (275)
      0x1a,
    ];
    const { module } = decoded(moduleWithBodies([bodyBytes], { memory: [1, 0, 1] }));
    assert.deepEqual(module.instructions, { total: 12, simd: 10, relaxedSimd: 2, bulkMemory: 0, atomics: 0, gc: 0 });
    assert.deepEqual(module.features, ['relaxed-simd', 'simd128']);
  });

  it('walks 0xFC (saturating and bulk memory) with their index immediates', async () => {
    const bytes = await wat(`(module
      (memory 1) (table 2 funcref) (elem $e func 0) (data $d "hi")
      (func (param f32)
        local.get 0 i32.trunc_sat_f32_s drop
        i32.const 0 i32.const 0 i32.const 1 memory.init $d
        data.drop $d
        i32.const 0 i32.const 0 i32.const 1 memory.copy
        i32.const 0 i32.const 0 i32.const 1 memory.fill
        i32.const 0 i32.const 0 i32.const 1 table.init $e
        elem.drop $e
        i32.const 0 i32.const 0 i32.const 1 table.copy
        ref.null func i32.const 1 table.grow drop
        table.size drop
        i32.const 0 ref.null func i32.const 1 table.fill))`);
    const { module } = decoded(bytes);
    assert.equal(module.instructions.bulkMemory, 11);
    assert.equal(module.instructions.simd, 0);
    for (const feature of ['bulk-memory', 'nontrapping-fptoint', 'reference-types'] as const)
      assert.ok(module.features.includes(feature), feature);
  });

  it('walks 0xFE atomics, including atomic.fence and its reserved byte', () => {
    const atomics = [
      0x41,
      0,
      0x41,
      1,
      0xfe,
      0x00,
      2,
      0,
      0x1a, // memory.atomic.notify
      0x41,
      0,
      0x41,
      1,
      0xfe,
      0x1e,
      2,
      4,
      0x1a, // i32.atomic.rmw.add offset=4
      0xfe,
      0x03,
      0x00, // atomic.fence
      0x41,
      0,
      0xfe,
      0x10,
      2,
      0,
      0x1a, // i32.atomic.load
    ];
    const { module } = decoded(moduleWithBodies([atomics], { memory: [1, 0x03, 1, 1] }));
    assert.equal(module.instructions.atomics, 4);
    assert.equal(module.instructions.total, 4 + 4 + 1 + 3 + 1);
    assert.deepEqual(module.features, ['atomics']);
  });

  it('reads the multi-memory memarg (flags bit 6 followed by a memory index)', () => {
    // i32.load with flags 0x42 (align 2 + bit 6), memidx 1, offset 4 (wabt's text parser rejects two memories).
    const { module: hand } = decoded(moduleWithBodies([[0x41, 0, 0x28, 0x42, 1, 4, 0x1a]], { memory: [2, 0, 1, 0, 1] }));
    assert.equal(hand.instructions.total, 4);
    assert.ok(hand.features.includes('multimemory'));
  });

  it('skips br_table label vectors, typed select, block types and call_indirect', async () => {
    const bytes = await wat(`(module (type $t (func (param i32) (result i32 i32))) (table 1 funcref)
      (func (param i32) (result i32)
        (block $a (block $b (block $c (br_table $a $b $c $a $b (local.get 0)))))
        (select (result i32) (i32.const 1) (i32.const 2) (local.get 0))
        (call_indirect (type $t) (i32.const 5) (i32.const 0))
        drop drop
        local.get 0 (block (type $t) (i32.const 3)) drop drop))`);
    const { module } = decoded(bytes);
    assert.ok(module.features.includes('multivalue'));
    assert.ok(module.features.includes('reference-types'), 'typed select is reference-types');
    // 3 blocks + local.get + br_table + 3 ends, 2 consts + local.get + select, 2 consts + call_indirect,
    // 2 drops, local.get + block + const + end, 2 drops, final end.
    assert.equal(module.instructions.total, 8 + 4 + 3 + 2 + 4 + 2 + 1);
  });

  it('walks try_table catch clauses, legacy try/catch/delegate and tail calls', () => {
    const tag = section(13, [1, 0x00, 0]);
    const tryTable = [
      0x1f,
      0x40,
      4,
      0x00,
      0,
      0,
      0x01,
      0,
      0,
      0x02,
      0,
      0x03,
      0, // try_table with catch, catch_ref, catch_all, catch_all_ref
      0x0b,
      0x06,
      0x40,
      0x07,
      0,
      0x19,
      0x0b, // try catch 0 catch_all end
      0x06,
      0x40,
      0x18,
      0, // try … delegate 0
      0x12,
      0, // return_call 0
    ];
    const bytes = wasm(
      section(1, [1, 0x60, 0, 0]),
      section(3, [1, 0]),
      tag,
      section(10, [1, ...uleb(tryTable.length + 2), 0, ...tryTable, 0x0b]),
    );
    const { module } = decoded(bytes);
    // try_table, end; try, catch, catch_all, end; try, delegate; return_call; final end.
    assert.equal(module.instructions.total, 10);
    assert.deepEqual(module.features, ['exception-handling', 'legacy-exceptions', 'tail-call']);
  });

  it('walks the GC prefix (0xFB) with type, field and cast immediates', () => {
    const types = section(1, [3, 0x60, 0, 0, 0x5f, 1, 0x7f, 0x01, 0x5e, 0x78, 0x01]); // func, struct {mut i32}, array (mut i8)
    const gcBody = [
      0x41,
      1,
      0xfb,
      0x00,
      1, // struct.new 1
      0xfb,
      0x02,
      1,
      0, // struct.get 1 0
      0x1a,
      0x41,
      0,
      0x41,
      3,
      0xfb,
      0x06,
      2, // array.new 2
      0xfb,
      0x0f, // array.len
      0x1a,
      0x41,
      1,
      0x41,
      2,
      0xfb,
      0x08,
      2,
      2, // array.new_fixed 2 2
      0xfb,
      0x17,
      0x6e, // ref.cast null any
      0xfb,
      0x18,
      0x03,
      0,
      0x6e,
      0x6b, // br_on_cast flags=3 label 0 any struct
      0x1a,
      0x41,
      5,
      0xfb,
      0x1c,
      0xfb,
      0x1d,
      0x1a, // ref.i31, i31.get_s
    ];
    const bytes = wasm(types, section(3, [1, 0]), section(10, [1, ...uleb(gcBody.length + 2), 0, ...gcBody, 0x0b]));
    const { module } = decoded(bytes);
    assert.equal(module.instructions.gc, 9);
    assert.equal(module.instructions.total, 4 + 5 + 6 + 4 + 1);
    assert.ok(module.features.includes('gc'));
    assert.equal(module.types, 3);
  });

  it('detects features from types, limits and constant expressions', () => {
    const bytes = wasm(
      section(1, [1, 0x60, 1, 0x7b, 2, 0x7f, 0x6f]), // (v128) -> (i32, externref)
      section(5, [2, 0x04, 1, 0x00, 1]), // a 64-bit memory and a second memory
      section(6, [1, 0x7f, 0x00, 0x41, 1, 0x41, 2, 0x6a, 0x0b]), // i32.const 1 i32.const 2 i32.add
    );
    const { module } = decoded(bytes);
    assert.deepEqual(module.features, ['extended-const', 'memory64', 'multimemory', 'multivalue', 'reference-types', 'simd128']);
  });
});

describe('wasm reader: components', () => {
  it('recognises a component, lists its sections and inspects every embedded core module', () => {
    const core1 = [...HEADER, ...section(1, [1, 0x60, 0, 0]), ...section(3, [1, 0]), ...section(10, [1, 4, 0, 0x01, 0x01, 0x0b])];
    const core2 = [
      ...HEADER,
      ...section(1, [1, 0x60, 0, 0]),
      ...section(3, [1, 0]),
      ...section(10, [1, ...uleb(21), 0, ...V128_CONST(), 0x1a, 0x0b]),
    ];
    const nested = [...COMPONENT_HEADER, ...section(1, core2)];
    const customSection = custom('component-name', []);
    const bytes = Uint8Array.from([
      ...COMPONENT_HEADER,
      ...customSection,
      ...section(1, core1),
      ...section(4, nested),
      ...section(11, [0]),
    ]);
    const report = inspectWasm(bytes);
    assert.equal(report.error, undefined, report.error?.message);
    assert.equal(report.kind, 'component');
    assert.equal(report.version, 0x0d);
    assert.equal(report.module, undefined);
    assert.deepEqual(
      report.componentSections?.map((s) => s.name),
      ['custom:component-name', 'core module', 'component', 'export'],
    );
    assert.equal(report.modules.length, 2);
    assert.equal(report.modules[0]!.offset, 8 + customSection.length + 2, 'the first core module starts at its own preamble');
    assert.equal(report.modules[0]!.size, core1.length);
    assert.equal(report.totals.functions, 2);
    assert.equal(report.totals.instructions.simd, 1);
    assert.equal(report.totals.instructions.total, 3 + 3);
    assert.deepEqual(report.totals.features, ['simd128']);
  });

  it('reports a malformed embedded module with its offset in the file', () => {
    const core = [...HEADER, 0x0e, 0x00];
    const bytes = Uint8Array.from([...COMPONENT_HEADER, ...section(1, core)]);
    const report = inspectWasm(bytes);
    assert.equal(report.kind, 'component');
    assert.equal(report.error?.offset, 8 + 2 + 8);
    assert.match(report.error.message, /malformed section id 14/);
  });
});
