/** Test helper: the BenchFailure a promise rejects with (the test fails if it resolves or throws something else). */
import assert from 'node:assert/strict';
import { BenchError } from '../../src/bench/errors';
import type { BenchFailure } from '../../src/bench/types';

export async function failureOf(promise: Promise<unknown>): Promise<BenchFailure> {
  try {
    await promise;
  } catch (error) {
    assert.ok(error instanceof BenchError, `expected a BenchError, got ${String(error)}`);
    return error.failure;
  }
  assert.fail('expected a failure');
}
