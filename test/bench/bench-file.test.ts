import assert from 'node:assert/strict';
import { test } from 'node:test';
import { parseBenchFile } from '../../src/bench/bench-file';
import { BENCH_FILE_SCHEMA } from '../../src/bench/bench-file-schema';
import { BenchError } from '../../src/bench/errors';

const PATH = '/work/project/wasm-perf.bench.json';

function problems(json: unknown): string {
  try {
    parseBenchFile(typeof json === 'string' ? json : JSON.stringify(json), PATH);
  } catch (error) {
    assert.ok(error instanceof BenchError && error.code === 'bench-file', String(error));
    return error.message;
  }
  assert.fail('expected the file to be rejected');
}

test('a valid file resolves paths from its directory and merges defaults under each options', () => {
  const file = parseBenchFile(
    JSON.stringify({
      $schema: './schema.json',
      defaults: { budgetMs: 300, rounds: 4 },
      benchmarks: [
        {
          name: 'blur',
          module: 'dist/app.wasm',
          export: 'blur3x3',
          args: [1, '9007199254740993'],
          setup: 'init',
          compare: ['dist/simd.wasm'],
          options: { rounds: 8 },
        },
        {
          name: 'what if',
          crate: '../kernels',
          export: 'dot',
          args: [1],
          setup: { export: 'init', buffers: [{ name: 'input', length: 64, fill: 'ramp' }] },
          variants: ['opt-level=3,+simd128'],
          target: 'wasm32-wasip1',
        },
        { name: 'startup', module: 'dist/app.wasm', load: { sequenceCount: 50 } },
      ],
    }),
    PATH,
  );
  assert.deepEqual(file.benchmarks[0], {
    kind: 'module',
    name: 'blur',
    options: { budgetMs: 300, rounds: 8 },
    module: '/work/project/dist/app.wasm',
    compare: ['/work/project/dist/simd.wasm'],
    export: 'blur3x3',
    args: [1, '9007199254740993'],
    setup: { export: 'init' },
  });
  const crate = file.benchmarks[1]!;
  assert.equal(crate.kind, 'crate');
  assert.ok(crate.kind === 'crate' && crate.crate === '/work/kernels' && crate.target === 'wasm32-wasip1');
  assert.deepEqual(crate.kind === 'crate' && crate.variants, [
    { name: 'opt-level=3,+simd128', optLevel: '3', targetFeatures: ['simd128'] },
  ]);
  assert.deepEqual(crate.kind === 'crate' && crate.setup, { export: 'init', buffers: [{ name: 'input', length: 64, fill: 'ramp' }] });
  assert.deepEqual(file.benchmarks[2], {
    kind: 'load',
    name: 'startup',
    options: { budgetMs: 300, rounds: 4 },
    module: '/work/project/dist/app.wasm',
    sequenceCount: 50,
  });
});

test('every problem is reported with where it is', () => {
  const message = problems({
    defaults: { budgetMs: 'fast' },
    benchmarks: [
      { name: 'a', module: 'x.wasm', crate: 'y' },
      { name: 'b', module: 'x.wasm', export: 'f', args: [true], variants: ['opt-level=3'] },
      { name: 'b', crate: 'c', export: 'f', variants: ['opt-level=9'], compare: ['z.wasm'] },
      { module: 'x.wasm', export: '', setup: { export: 'init', buffers: [{ name: 'in', length: 0 }] }, colour: 'red' },
    ],
  });
  for (const expected of [
    'defaults.budgetMs: expected a number, got "fast"',
    'benchmarks[0]: needs exactly one of "module" (a .wasm file) or "crate"',
    'benchmarks[1].args[0]: expected a number, a numeric string (for i64) or { "buffer": name }, got true',
    'benchmarks[1].variants: only applies to "crate" benchmarks',
    'benchmarks[2].variants[0]: opt-level must be 0, 1, 2, 3, s or z',
    'benchmarks[2].compare: only applies to "module" benchmarks',
    'benchmarks[3].colour: unknown key',
    'benchmarks[3].name: is required',
    'benchmarks[3].export: expected a non-empty string, got ""',
    'benchmarks[3].setup.buffers[0].length: expected a positive integer, got 0',
    'benchmarks[2].name: "b" is used by an earlier benchmark',
  ]) {
    assert.ok(message.includes(expected), `missing "${expected}" in:\n${message}`);
  }
  assert.match(message, /^\/work\/project\/wasm-perf\.bench\.json has 11 problems:/);
});

test('broken JSON and empty files are refused clearly', () => {
  assert.match(problems('{ "benchmarks": [ }'), /is not valid JSON/);
  assert.match(problems({}), /benchmarks: expected a non-empty array/);
  assert.match(problems([]), /\(top level\): expected an object/);
});

test('the JSON schema names every key the validator accepts', () => {
  const properties = Object.keys(BENCH_FILE_SCHEMA.properties.benchmarks.items.properties).sort();
  assert.deepEqual(properties, [
    'args',
    'compare',
    'crate',
    'export',
    'finding',
    'load',
    'measured',
    'module',
    'name',
    'options',
    'package',
    'profile',
    'setup',
    'target',
    'variants',
  ]);
  const optionKeys = Object.keys(BENCH_FILE_SCHEMA.properties.defaults.properties);
  assert.ok(optionKeys.includes('budgetMs') && optionKeys.includes('stubImports'));
  assert.deepEqual(
    problems({ defaults: { nope: 1 }, benchmarks: [{ name: 'x', module: 'a.wasm', export: 'f' }] }).includes('defaults.nope: unknown key'),
    true,
  );
});
