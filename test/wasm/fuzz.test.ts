/**
 * Fuzzing the reader: thousands of mutated and truncated modules from a seeded PRNG
 * (so a failure reproduces). No exception may escape, the reader's own "internal error"
 * fallback must never be needed, errors must point inside the input, and the reader is
 * differential against V8: a module `WebAssembly.validate` accepts is never malformed for
 * the reader. Speed on such inputs is measured in `npm run bench`, not asserted here.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { inspectWasm } from '../../src/core/wasm/inspect';
import { COMPONENT_HEADER, custom, moduleWithBodies, name, section, V128_CONST } from './bytes';
import { wat } from './wat';
import { seededRandom } from '../../src/bench/stats';
import { engineBytes } from '../../src/core/wasm/validity';
import type { WasmReport } from '../../src/core/wasm/model';

/** The properties every input must keep, whatever its bytes. */
function assertReaderAgrees(input: Uint8Array, report: WasmReport, label: string): void {
  if (WebAssembly.validate(engineBytes(input))) {
    assert.equal(report.error, undefined, `${label}: V8 accepts it, the reader says ${report.error?.message}`);
    return;
  }
  if (!report.error) return;
  assert.doesNotMatch(report.error.message, /^internal error/, `${label}: ${report.error.message}`);
  assert.ok(
    report.error.offset >= 0 && report.error.offset <= input.length,
    `${label}: offset ${report.error.offset} outside ${input.length} bytes`,
  );
}

const INTERESTING = [0x00, 0x01, 0x0b, 0x40, 0x7f, 0x80, 0xff, 0xfd, 0xfc, 0xfe, 0xfb, 0x0e, 0x1c, 0x1f, 0x41, 0x44];

function mutate(base: Uint8Array, random: () => number): Uint8Array {
  const bytes = [...base];
  const edits = 1 + Math.floor(random() * 4);
  for (let e = 0; e < edits; e++) {
    const at = Math.floor(random() * (bytes.length + 1));
    switch (Math.floor(random() * 6)) {
      case 0:
        bytes[at] = Math.floor(random() * 256);
        break;
      case 1:
        bytes[at] = INTERESTING[Math.floor(random() * INTERESTING.length)]!;
        break;
      case 2:
        bytes.splice(at, 0, Math.floor(random() * 256));
        break;
      case 3:
        bytes.splice(at, 1 + Math.floor(random() * 4));
        break;
      case 4:
        bytes.splice(at, 0, 0xff, 0xff, 0xff, 0xff, 0x0f); // a huge LEB count or size
        break;
      default:
        bytes.length = Math.min(bytes.length, at);
    }
  }
  return Uint8Array.from(bytes.slice(0, Math.max(0, bytes.length)));
}

async function corpus(): Promise<Uint8Array[]> {
  const simd = [...V128_CONST(3), 0xfd, 0x0d, ...new Array<number>(16).fill(1), 0xfd, 0x15, 2, 0x1a, 0xfd, 0x80, 0x02];
  const fromText = await wat(
    `(module (import "env" "f" (func $f (param i32) (result i32))) (memory 1) (table 2 funcref)
      (global $g (mut i32) (i32.const 0)) (data (i32.const 8) "data") (elem (i32.const 0) func $a)
      (func $a (export "a") (param i32) (result i32)
        (block $out (loop $top (br_if $out (i32.eqz (local.get 0)))
          (local.set 0 (i32.sub (local.get 0) (i32.const 1))) (br_table $top $out (local.get 0))))
        (i32.atomic.rmw.add (i32.const 0) (call $f (local.get 0))))
      (func (param f64) (result i64) (i64.trunc_sat_f64_s (local.get 0)) (memory.fill (i32.const 0) (i32.const 0) (i32.const 4))))`,
    { names: true },
  );
  return [
    fromText,
    moduleWithBodies([simd, [0x41, 0, 0x28, 0x42, 1, 4, 0x1a], [0xfe, 0x03, 0x00]], {
      memory: [2, 0, 1, 0, 1],
      after: [
        custom('producers', [1, ...name('language'), 1, ...name('Rust'), ...name('1.0')]),
        custom('target_features', [1, 0x2b, ...name('simd128')]),
      ],
    }),
    Uint8Array.from([...COMPONENT_HEADER, ...section(1, [...fromText])]),
  ];
}

describe('wasm reader: fuzzing', () => {
  it('survives thousands of mutated and truncated modules, and never calls one V8 accepts malformed', async () => {
    const random = seededRandom(0x5eed);
    const bases = await corpus();
    let malformed = 0;
    let accepted = 0;
    for (let i = 0; i < 6000; i++) {
      const base = bases[i % bases.length]!;
      const input = i % 5 === 4 ? base.subarray(0, Math.floor(random() * base.length)) : mutate(base, random);
      const report = inspectWasm(input);
      assertReaderAgrees(input, report, `input ${i} (${input.length} bytes)`);
      if (report.error) malformed++;
      if (WebAssembly.validate(engineBytes(input))) accepted++;
    }
    assert.ok(malformed > 3000, `most mutations must be caught as malformed (${malformed} of 6000)`);
    // The differential property only means something if some mutants stay valid.
    assert.ok(accepted > 50, `some mutations must stay valid for V8 (${accepted} of 6000)`);
  });

  it('reads a large mutated module without internal errors, agreeing with V8', () => {
    const random = seededRandom(42);
    const body = [...V128_CONST(1), 0xfd, 0xae, 0x01, 0x1a, 0x41, 0x05, 0x1a];
    const large = moduleWithBodies(Array.from({ length: 2000 }, () => [...body, ...body, ...body]));
    for (let i = 0; i < 20; i++) {
      const input = mutate(large, random);
      assertReaderAgrees(input, inspectWasm(input), `large input ${i} (${input.length} bytes)`);
    }
  });
});
