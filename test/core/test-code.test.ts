import assert from 'node:assert/strict';
import { test } from 'node:test';
import { isTestFile, isTestPath } from '../../src/core/workspace/test-code';

test('test, bench, fuzz and fixture directories and file names are test code', () => {
  for (const path of [
    'tests/all/main.rs',
    'crates/wasmtime/benches/call.rs',
    'fuzz/fuzz_targets/compile.rs',
    'internal/testdata/a.wasm',
    'crates/test-programs/src/lib.rs',
    'pkg/engine_test.go',
    'python/test_config.py',
    'tests/conftest.py',
    'conftest.py',
    'src/tests.rs',
    'src/engine_tests.rs',
    'Fixtures/x.wasm',
    'examples/fixtures/guest.wasm',
    'crates/fuzzing/src/oracles.rs',
    // Test-support crates and harnesses named with a test word (seen in the corpus).
    'crates/misc/component-async-tests/src/util.rs',
    'crates/test-macros/src/lib.rs',
    'crates/bench-api/src/lib.rs',
    'ci/test-minimal-runtime/create_cwasm.go',
    'internal/engine/wazevo/testcases/testcases.go',
    'cranelift/filetests/src/function_runner.rs',
    'mocks/host.go',
  ]) {
    assert.equal(isTestPath(path), true, path);
  }
});

test('production code, examples and names that merely contain "test" are not test code', () => {
  for (const path of [
    'src/main.rs',
    'crates/wasmtime/src/engine.rs',
    'examples/hello.rs',
    'cmd/server/main.go',
    'latest/lib.rs',
    'contest.py',
    'src/attest.rs',
    'pkg/testing_helpers_prod.go.txt',
    'protest/main.go',
    'src/test_runner.rs',
    'crates/attestation-service/src/lib.rs',
    'crates/latest-release/src/main.rs',
    'pkg/benchmarker/main.go',
    // A trailing singular "-test" names an example application as often as a test crate.
    'examples/vault-variable-test/src/lib.rs',
    'crates/factors-test/src/lib.rs',
  ]) {
    assert.equal(isTestPath(path), false, path);
  }
});

test('the decision is made relative to the analysed root that contains the file', () => {
  assert.equal(isTestFile(['/home/u/tests/app'], '/home/u/tests/app/src/main.rs'), false);
  assert.equal(isTestFile(['/home/u/tests/app'], '/home/u/tests/app/tests/it.rs'), true);
  assert.equal(isTestFile(['/w', '/w/sub'], '/w/sub/src/lib.rs'), false);
  assert.equal(isTestFile(['/w/tests'], '/w/tests/lib.rs'), false);
});
