import type { BenchFailure, FailureCode } from './types';

/** A benchmark failure the user can act on. `failure` is the same information as plain data. */
export class BenchError extends Error {
  readonly failure: BenchFailure;

  constructor(failure: BenchFailure) {
    super(failure.message);
    this.name = 'BenchError';
    this.failure = failure;
  }

  get code(): FailureCode {
    return this.failure.code;
  }

  static of(code: FailureCode, message: string, extra: Omit<BenchFailure, 'code' | 'message'> = {}): BenchError {
    return new BenchError({ code, message, ...extra });
  }
}

/** Turns anything thrown into a failure, keeping BenchError's data. */
export function toFailure(error: unknown, fallback: FailureCode = 'child-failed'): BenchFailure {
  if (error instanceof BenchError) return error.failure;
  if (error instanceof Error) return { code: fallback, message: error.message, detail: error.stack };
  return { code: fallback, message: String(error) };
}
