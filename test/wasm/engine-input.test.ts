/** What the validation thread gets of a module: every non-custom section, custom sections left out. */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { engineInput } from '../../src/core/wasm/engine-input';
import { engineBytes } from '../../src/core/wasm/validity';
import { COMPONENT_HEADER, custom, moduleWithBodies } from './bytes';

describe('validation input', () => {
  const plain = moduleWithBodies([[0x41, 1, 0x1a]], { memory: [1, 0, 1] });
  const withCustom = moduleWithBodies([[0x41, 1, 0x1a]], {
    memory: [1, 0, 1],
    before: [custom('.debug_info', new Array<number>(300).fill(9))],
    after: [custom('name', [1, 4, 1, 0, 1, 0x66]), custom('producers', [0])],
  });

  it('is the module without its custom sections, byte for byte, and validates alike', () => {
    assert.deepEqual(engineInput(withCustom), plain);
    assert.deepEqual(engineInput(plain), plain);
    assert.equal(WebAssembly.validate(engineBytes(engineInput(withCustom)!)), WebAssembly.validate(engineBytes(withCustom)));
    assert.notEqual(engineInput(plain)!.buffer, plain.buffer, 'a buffer of its own, which can move to the thread');
  });

  it('is undefined for what it cannot shorten safely: components, broken headers, more than the limit', () => {
    assert.equal(engineInput(Uint8Array.from([...COMPONENT_HEADER])), undefined);
    assert.equal(engineInput(withCustom.subarray(0, withCustom.length - 3)), undefined);
    assert.equal(engineInput(withCustom, plain.length - 1), undefined);
    assert.deepEqual(engineInput(withCustom, plain.length), plain);
  });
});
