/**
 * Strictness: every malformed case the core spec's binary format names is reported with
 * the byte offset where decoding stopped and what was expected there.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { inspectWasm } from '../../src/core/wasm/inspect';
import { engineBytes } from '../../src/core/wasm/validity';
import { custom, HEADER, moduleWithBodies, name, section, wasm } from './bytes';
import { wat } from './wat';

// 0–7 header | 8: type section 01 04 01 60 00 00 | 14: function section 03 02 01 00 | 18: code 0a 04 01 02 00 0b
const TYPE = [0x01, 0x04, 0x01, 0x60, 0x00, 0x00];
const FUNCTION = [0x03, 0x02, 0x01, 0x00];
const CODE = [0x0a, 0x04, 0x01, 0x02, 0x00, 0x0b];
const VALID = [...HEADER, ...TYPE, ...FUNCTION, ...CODE];

function errorOf(bytes: number[] | Uint8Array): { offset: number; message: string } {
  const report = inspectWasm(Uint8Array.from(bytes));
  assert.ok(report.error, 'expected a decode error');
  return report.error;
}

function assertError(bytes: number[] | Uint8Array, offset: number, message: RegExp): void {
  const error = errorOf(bytes);
  assert.equal(error.offset, offset, `offset (message: ${error.message})`);
  assert.match(error.message, message);
}

describe('wasm reader: malformed binaries', () => {
  it('accepts the base module the cases below break', () => {
    assert.equal(inspectWasm(Uint8Array.from(VALID)).error, undefined);
  });

  it('an empty file', () => assertError([], 0, /^empty file: expected the magic number/));

  it('a wrong magic number and a wrong version', () => {
    assertError([0x00, 0x61, 0x73, 0x6e, 1, 0, 0, 0], 3, /wrong magic number: expected \\0asm/);
    assertError([0x00, 0x61, 0x73, 0x6d, 2, 0, 0, 0], 4, /unknown binary version 02 00 00 00: expected 01 00 00 00/);
    assertError([0x00, 0x61, 0x73, 0x6d, 1, 0], 6, /unexpected end of file: expected a 4-byte version/);
  });

  it('an over-long LEB128 and one whose value does not fit 32 bits', () => {
    assertError([...HEADER, 0x01, 0x84, 0x80, 0x80, 0x80, 0x80, 0x00], 9, /integer representation too long: expected at most 5 bytes/);
    assertError([...HEADER, 0x01, 0xff, 0xff, 0xff, 0xff, 0x7f], 13, /integer too large: expected an unsigned 32-bit LEB128/);
  });

  it('a signed immediate whose unused bits are not sign bits', () => {
    assert.equal(inspectWasm(moduleWithBodies([[0x41, 0xff, 0xff, 0xff, 0xff, 0x07, 0x1a]])).error, undefined, 'i32.const 2^31-1 is fine');
    const bytes = moduleWithBodies([[0x41, 0xff, 0xff, 0xff, 0xff, 0x0f, 0x1a]]);
    assertError(bytes, bytes.indexOf(0x0f), /integer too large: expected a signed 32-bit LEB128/);
  });

  it('a section whose size disagrees with its contents', () => {
    assertError(
      [...HEADER, 0x01, 0x05, 0x01, 0x60, 0x00, 0x00, ...FUNCTION, ...CODE],
      14,
      /section size mismatch: the type section declares 5 bytes but its contents end after 4/,
    );
    assertError([...HEADER, 0x01, 0x03, 0x01, 0x60, 0x00, 0x00], 13, /unexpected end of type section/);
    assertError(
      [...HEADER, 0x01, 0x20, 0x01, 0x60, 0x00, 0x00],
      9,
      /section size mismatch: the type section declares 32 bytes but only 4 are left/,
    );
  });

  it('an unknown section id', () => assertError([...HEADER, 0x0e, 0x00], 8, /malformed section id 14: expected 0–13/));

  it('sections out of order or duplicated', () => {
    assertError([...HEADER, ...FUNCTION, ...TYPE, ...CODE], 12, /unexpected type section after the function section/);
    assertError([...HEADER, ...TYPE, ...TYPE], 14, /duplicate type section/);
  });

  it('an unknown opcode, in each prefix space', () => {
    assertError(
      [...HEADER, ...TYPE, ...FUNCTION, 0x0a, 0x05, 0x01, 0x03, 0x00, 0x27, 0x0b],
      23,
      /unknown opcode 0x27: expected an instruction/,
    );
    const cases: [number[], string][] = [
      [[0xfd, 0x9a, 0x01], '0xfd 154'],
      [[0xfd, 0x94, 0x02], '0xfd 276'],
      [[0xfc, 0x12], '0xfc 18'],
      [[0xfe, 0x04], '0xfe 4'],
      [[0xfb, 0x1f], '0xfb 31'],
    ];
    for (const [instruction, label] of cases) {
      const bytes = moduleWithBodies([instruction]);
      assertError(bytes, bytes.length - instruction.length - 1, new RegExp(`unknown opcode ${label}`));
    }
  });

  it('malformed immediates: memarg flags of 128 and more, atomic.fence without its zero byte', () => {
    const memarg = moduleWithBodies([[0x41, 0x00, 0x28, 0x80, 0x01, 0x00, 0x1a]], { memory: [1, 0, 1] });
    assertError(memarg, memarg.length - 5, /malformed memory operand flags 128/);
    const fence = moduleWithBodies([[0xfe, 0x03, 0x01]]);
    assertError(fence, fence.length - 2, /malformed atomic.fence: expected the reserved byte 0x00, found 0x1/);
  });

  it('a name that is not valid UTF-8', () => {
    const bytes = [...HEADER, ...TYPE, ...FUNCTION, 0x07, 0x05, 0x01, 0x01, 0xff, 0x00, 0x00, ...CODE];
    assertError(bytes, 22, /malformed UTF-8 encoding: expected a valid UTF-8 name/);
    const overlong = [...HEADER, ...custom('', []).slice(0, 1), 0x03, 0x02, 0xc0, 0x80];
    assertError(overlong, 11, /malformed UTF-8/);
  });

  it('function and code sections of different lengths', () => {
    assertError(
      [...HEADER, ...TYPE, 0x03, 0x03, 0x02, 0x00, 0x00, ...CODE],
      21,
      /function and code section have inconsistent lengths: 2 functions declared, 1 bodies/,
    );
    assertError([...HEADER, ...TYPE, ...FUNCTION], 18, /1 functions declared but there is no code section/);
  });

  it('a body without its final end, and bytes after it', () => {
    assertError(
      [...HEADER, ...TYPE, ...FUNCTION, 0x0a, 0x04, 0x01, 0x02, 0x00, 0x01],
      24,
      /expected `end` \(0x0b\) to close the function body/,
    );
    assertError([...HEADER, ...TYPE, ...FUNCTION, 0x0a, 0x06, 0x01, 0x04, 0x00, 0x02, 0x40, 0x01], 26, /and 1 open block/);
    assertError(
      [...HEADER, ...TYPE, ...FUNCTION, 0x0a, 0x05, 0x01, 0x03, 0x00, 0x0b, 0x01],
      24,
      /expected the end of the function body after its final `end`, found 1 more bytes/,
    );
  });

  it('an immediate that runs past the end of its body', () => {
    assertError(
      [...HEADER, ...TYPE, ...FUNCTION, 0x0a, 0x05, 0x01, 0x03, 0x00, 0x44, 0x00],
      25,
      /immediates of the instruction at offset 23 run past it/,
    );
  });

  it('a data count that disagrees with the data section', () => {
    const bytes = wasm(section(5, [1, 0, 1]), section(12, [2]), section(11, [1, 1, 0]));
    assertError(bytes, bytes.length - 3, /data count and data section have inconsistent lengths/);
  });

  it('a non-zero data count without a data section', () => {
    const bytes = wasm(section(5, [1, 0, 1]), section(12, [1]));
    assertError(bytes, bytes.length, /the data count section says 1, but there is no data section/);
    assert.equal(WebAssembly.validate(engineBytes(bytes)), false, 'V8 refuses it too');
    const zero = wasm(section(5, [1, 0, 1]), section(12, [0]));
    assert.equal(inspectWasm(zero).error, undefined, 'a zero data count needs no data section');
  });

  it('an `else` that does not close the then-arm of an `if`, reported where it stands', () => {
    const I32_0 = [0x41, 0];
    const cases: [string, number[]][] = [
      ['at function level', [0x01, 0x05]],
      ['in a block', [0x02, 0x40, 0x05, 0x0b]],
      ['in a loop', [0x03, 0x40, 0x05, 0x0b]],
      ['a second else of one if', [...I32_0, 0x04, 0x40, 0x05, 0x05, 0x0b]],
      ['in a block inside an if', [...I32_0, 0x04, 0x40, 0x02, 0x40, 0x05, 0x0b, 0x0b]],
      ['after the if has ended', [...I32_0, 0x04, 0x40, 0x0b, 0x05]],
    ];
    for (const [shape, instructions] of cases) {
      const bytes = moduleWithBodies([instructions]);
      const error = errorOf(bytes);
      // The code section ends with the body's instructions and its final `end`; the last else is the stray one.
      const stray = bytes.length - 1 - instructions.length + instructions.lastIndexOf(0x05);
      assert.equal(error.offset, stray, `${shape}: offset (message: ${error.message})`);
      assert.match(error.message, /unexpected `else` outside an `if` block/, shape);
      assert.equal(WebAssembly.validate(engineBytes(bytes)), false, `${shape}: V8 refuses it too`);
    }
    // Every else below closes the then-arm of its own if, at every depth.
    const nested = [...I32_0, 0x04, 0x40, ...I32_0, 0x04, 0x40, 0x05, 0x0b, 0x05, ...I32_0, 0x04, 0x40, 0x05, 0x02, 0x40, 0x0b, 0x0b, 0x0b];
    const valid = moduleWithBodies([nested]);
    assert.equal(inspectWasm(valid).error, undefined);
    assert.equal(WebAssembly.validate(engineBytes(valid)), true);
  });

  it('memory.init and data.drop in a module without a data count section, reported at the instruction', async () => {
    const built = await wat(
      `(module (memory 1) (data $d "abc")
        (func (export "run") i32.const 0 i32.const 0 i32.const 1 memory.init $d data.drop $d))`,
    );
    const decoded = inspectWasm(built);
    assert.equal(decoded.error, undefined, 'as wat2wasm writes it, with its data count section');
    const dataCount = decoded.module!.sections.find((s) => s.id === 12);
    assert.ok(dataCount, 'wat2wasm writes a data count section for code that uses data indices');
    // The same module with that section cut out, as a tool that forgets it would write it.
    const end = dataCount.payloadOffset + dataCount.size;
    const bytes = Uint8Array.from([...built.subarray(0, dataCount.offset), ...built.subarray(end)]);
    // `i32.const 1` then `memory.init 0 0`.
    const memoryInit = indexOfSequence(bytes, [0x41, 0x01, 0xfc, 0x08, 0x00, 0x00]) + 2;
    assertError(bytes, memoryInit, /memory\.init uses a data index, which requires a data count section before the code section/);
    assert.equal(WebAssembly.validate(engineBytes(bytes)), false, 'V8 refuses it too');

    const drop = moduleWithBodies([[0xfc, 0x09, 0x00]], { memory: [1, 0, 1], after: [section(11, [1, 1, 0])] });
    assertError(drop, drop.indexOf(0xfc), /data\.drop uses a data index, which requires a data count section/);
    assert.equal(WebAssembly.validate(engineBytes(drop)), false, 'V8 refuses it too');
    const counted = moduleWithBodies([[0xfc, 0x09, 0x00]], {
      memory: [1, 0, 1],
      before: [section(12, [1])],
      after: [section(11, [1, 1, 0])],
    });
    assert.equal(inspectWasm(counted).error, undefined, 'with a data count section it is fine');
    assert.equal(WebAssembly.validate(engineBytes(counted)), true);
  });

  it('a file truncated at every byte: an error at or before the cut, unless the cut falls between sections', async () => {
    const full = await wat(
      `(module (import "env" "f" (func (param i32))) (memory 1) (data (i32.const 0) "abc")
        (func (export "run") (param i32) (result i32) (local i64 v128)
          local.get 0 (if (result i32) (then i32.const 1) (else v128.const i32x4 1 2 3 4 i32x4.extract_lane 2))))`,
      { names: true },
    );
    const complete = inspectWasm(full);
    assert.equal(complete.error, undefined);
    const sectionEnds = new Set([8, ...complete.module!.sections.map((s) => s.payloadOffset + s.size)]);
    const codeEnd = complete.module!.sections.find((s) => s.name === 'code')!;
    for (let cut = 0; cut < full.length; cut++) {
      const report = inspectWasm(full.subarray(0, cut));
      const cleanCut =
        sectionEnds.has(cut) &&
        (cut >= codeEnd.payloadOffset + codeEnd.size || cut <= complete.module!.sections.find((s) => s.name === 'function')!.offset);
      if (cleanCut) {
        assert.equal(report.error, undefined, `cut at ${cut} is a complete module`);
        continue;
      }
      assert.ok(report.error, `cut at ${cut} must be malformed`);
      assert.ok(report.error.offset <= cut, `cut at ${cut}: error offset ${report.error.offset} is past the cut`);
    }
  });

  it('keeps what decoded before the error', () => {
    const bytes = [...HEADER, ...TYPE, 0x07, 0x06, 0x01, ...name('go'), 0x00, 0x00, 0x0e, 0x00];
    const report = inspectWasm(Uint8Array.from(bytes));
    assert.equal(report.error?.offset, bytes.length - 2);
    assert.deepEqual(
      report.module?.sections.map((s) => s.name),
      ['type', 'export'],
    );
    assert.deepEqual(
      report.module?.exports.map((e) => e.name),
      ['go'],
    );
  });
});

/** Where `needle` first occurs in `bytes`. */
function indexOfSequence(bytes: Uint8Array, needle: readonly number[]): number {
  for (let i = 0; i + needle.length <= bytes.length; i++) if (needle.every((b, k) => bytes[i + k] === b)) return i;
  throw new Error(`sequence ${needle.join(' ')} not found`);
}
