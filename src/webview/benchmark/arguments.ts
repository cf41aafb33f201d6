/**
 * The export's arguments checked as they are typed, by the rules the benchmark engine applies
 * when it converts them (src/bench/subject.ts): a run is never started only to be refused.
 */
import type { ExportChoice, ValueType } from '../../protocol/benchmark';

const I32_MIN = -(2 ** 31);
const U32_MAX = 2 ** 32 - 1;

/** "1, 2.5, 3" → ["1", "2.5", "3"]; an empty field is no arguments. */
export function parseArgs(text: string): string[] {
  return text.trim() === '' ? [] : text.split(',').map((part) => part.trim());
}

/** What is wrong with the arguments for this export, one sentence per problem; empty when they are fine. */
export function argumentProblems(chosen: ExportChoice | undefined, args: readonly string[]): string[] {
  if (!chosen || chosen.unsupported) return [];
  const problems: string[] = [];
  if (chosen.params.length !== args.length) {
    const wanted = chosen.params.length === 0 ? 'no arguments' : `${chosen.params.length} (${chosen.params.join(', ')})`;
    problems.push(`${chosen.name} takes ${wanted}; ${args.length} given.`);
  }
  args.forEach((text, index) => {
    const type = chosen.params[index];
    const problem = type ? valueProblem(text, type) : undefined;
    if (problem) problems.push(`Argument ${index + 1} (${type}) ${problem}.`);
  });
  return problems;
}

function valueProblem(text: string, type: ValueType): string | undefined {
  const trimmed = text.trim();
  if (trimmed === '') return 'is empty';
  if (type === 'i64') {
    let value: bigint;
    try {
      value = BigInt(trimmed);
    } catch {
      return `must be an integer, not "${trimmed}"`;
    }
    return value < -(2n ** 63n) || value >= 2n ** 64n ? 'is out of the 64-bit range' : undefined;
  }
  const value = Number(trimmed);
  if (Number.isNaN(value) && trimmed.toLowerCase() !== 'nan') return `is not a number: "${trimmed}"`;
  if (type === 'i32' && (!Number.isInteger(value) || value < I32_MIN || value > U32_MAX))
    return `must be an integer from ${I32_MIN} to ${U32_MAX}`;
  return undefined;
}
