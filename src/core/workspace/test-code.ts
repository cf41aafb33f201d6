/**
 * Which files are test, benchmark, fuzz or fixture code. Host-code and binary rules skip
 * them by default (`AnalyzerSettings.includeTests` turns them back on): an `Engine` built
 * per test case or a fixture `.wasm` without SIMD is not a production pitfall, and a
 * maintainer would dismiss such a finding.
 *
 * The decision is made on the path relative to the analysed root, so a workspace that
 * itself lives under a directory called `tests` is still analysed. Code inside production
 * files that only builds for tests (`#[cfg(test)] mod tests`) is recognised by the
 * language extractors, not here.
 */
import { relativeToRoot } from '../text/paths';

/** Directory names whose contents are tests, benchmarks, fuzz targets or test data. */
const TEST_DIRECTORIES = new Set([
  'test',
  'tests',
  'testing',
  'testdata',
  'test-data',
  'test_data',
  'testsuite',
  'test-suite',
  'spectest',
  'spec-tests',
  '__tests__',
  'bench',
  'benches',
  'benchmark',
  'benchmarks',
  'fuzz',
  'fuzzing',
  'fuzz_targets',
  'fixture',
  'fixtures',
  'test-programs',
  'test_programs',
  'testprograms',
  'test-fixtures',
  'testutil',
  'testutils',
  'test-util',
  'test-utils',
  'testcases',
  'test-cases',
  'test_cases',
  'filetests',
  'mock',
  'mocks',
]);

/**
 * Hyphenated or underscored directory names of test code: a first word that says so (`test-macros`,
 * `test-util`, `bench-api`, `fuzz-stats`, `mock-server`), or a plural or gerund anywhere
 * (`component-async-tests`, `wasi-testsuite`, `criterion-benches`). A trailing singular `-test`
 * is left alone: `vault-variable-test` is an example application.
 */
const TEST_FIRST_WORDS = new Set([
  'test',
  'tests',
  'testing',
  'bench',
  'benches',
  'benchmark',
  'benchmarks',
  'fuzz',
  'fuzzing',
  'mock',
  'mocks',
]);
const TEST_WORDS = new Set(['tests', 'testing', 'testsuite', 'benches', 'benchmarks', 'fuzzing', 'mocks']);

/** File names that are test code wherever they are. */
const TEST_FILE =
  /(^|_)test\.go$|^test_.*\.py$|_test\.py$|^conftest\.py$|^tests?\.rs$|_tests?\.rs$|^benches?\.rs$|^test_.*\.(c|cc|cpp)$|_test\.(c|cc|cpp)$/;

/**
 * True when `relativePath` ('/'-separated, relative to an analysed root) is test, bench,
 * fuzz or fixture code.
 */
export function isTestPath(relativePath: string): boolean {
  const segments = relativePath.split('/');
  const name = segments.pop() ?? '';
  if (TEST_FILE.test(name)) return true;
  return segments.some((segment) => {
    const lower = segment.toLowerCase();
    if (TEST_DIRECTORIES.has(lower)) return true;
    const words = lower.split(/[-_.]/);
    return words.length > 1 && (TEST_FIRST_WORDS.has(words[0]!) || words.some((word) => TEST_WORDS.has(word)));
  });
}

/** Whether `path` (absolute) is test code, judged relative to the analysed root that contains it. */
export function isTestFile(roots: readonly string[], path: string): boolean {
  return isTestPath(relativeToRoot(roots, path));
}
