import assert from 'node:assert/strict';
import { test } from 'node:test';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { parseArgList } from '../../src/cli/bench-command';
import { runCli } from '../../src/cli/run';

const FIXTURES = resolve('test/fixtures/wasm');
const QUICK = ['--budget', '60', '--warmup', '10', '--rounds', '3'];

async function cli(args: string[], cwd = process.cwd(), stderrIsTty = false): Promise<{ code: number; stdout: string; stderr: string }> {
  let stdout = '';
  let stderr = '';
  const code = await runCli(['bench', ...args], {
    stdout: (text) => (stdout += text),
    stderr: (text) => (stderr += text),
    cwd,
    isTty: false,
    stderrIsTty,
    color: false,
  });
  return { code, stdout, stderr };
}

test('--help describes every mode and exits 0', async () => {
  const { code, stdout } = await cli(['--help']);
  assert.equal(code, 0);
  for (const text of ['--export NAME', '--compare', '--crate DIR', '--variant', '--file', '--load', '--time-limit', '--json'])
    assert.ok(stdout.includes(text), text);
});

test('usage errors exit 2 with a message', async () => {
  const cases: [string[], RegExp][] = [
    [[join(FIXTURES, 'kernels-s.wasm')], /--export NAME is required/],
    [[join(FIXTURES, 'kernels-s.wasm'), '--export', 'add', '--args', '1,x'], /--args: 'x' is not a number/],
    [[join(FIXTURES, 'kernels-s.wasm'), '--export', 'add', '--variant', 'opt-level=3'], /--variant needs --crate/],
    [['--crate', '.', '--export', 'f', '--variant', 'opt-level=9'], /--variant: opt-level must be/],
    [[join(FIXTURES, 'kernels-s.wasm'), '--export', 'add', '--budget', 'soon'], /--budget needs a non-negative number/],
    [[join(FIXTURES, 'kernels-s.wasm'), '--frobnicate'], /unknown option '--frobnicate'/],
    [[join(FIXTURES, 'kernels-s.wasm'), '--export', 'add', '--rounds', '0'], /rounds must be an integer from 1 to 1000/],
    [[], /nothing to benchmark/],
  ];
  const empty = mkdtempSync(join(tmpdir(), 'wasm-perf-cli-'));
  for (const [args, message] of cases) {
    const { code, stderr } = await cli(args, empty);
    assert.equal(code, 2, `${args.join(' ')}: ${stderr}`);
    assert.match(stderr, message);
  }
});

test('argument lists keep large integers exact for i64', () => {
  assert.deepEqual(parseArgList('1, -2,2.5,18446744073709551615'), [1, -2, 2.5, '18446744073709551615']);
  assert.deepEqual(parseArgList(undefined), []);
});

test('--list shows exports and whether they can be timed', async () => {
  const { code, stdout } = await cli([join(FIXTURES, 'kernels-s.wasm'), '--list']);
  assert.equal(code, 0);
  assert.match(stdout, /^add\s+\(i32, i32\) -> \(i32\)\s+yes$/m);
  assert.match(stdout, /^init\s+\(\) -> \(\)\s+yes$/m);
});

test('a module run prints JSON with the statistics', async () => {
  const { code, stdout } = await cli([join(FIXTURES, 'kernels-s.wasm'), '--export', 'add', '--args', '2,3', '--json', ...QUICK]);
  assert.equal(code, 0);
  const [outcome] = JSON.parse(stdout).benchmarks;
  assert.equal(outcome.result.kind, 'export');
  assert.deepEqual(outcome.result.measurement.returned, ['5']);
  assert.ok(outcome.result.measurement.stats.median > 0);
});

test('a comparison prints the table with the ratio, CI and verdict', async () => {
  const { code, stdout } = await cli([
    join(FIXTURES, 'kernels-s.wasm'),
    '--export',
    'dot',
    '--args',
    '1',
    '--setup',
    'init',
    '--compare',
    join(FIXTURES, 'kernels-3-simd.wasm'),
    ...QUICK,
    '--budget',
    '120',
  ]);
  assert.equal(code, 0, stdout);
  assert.match(stdout, /ratio of medians\s+95% CI\s+verdict/);
  assert.match(stdout, /kernels-3-simd\.wasm vs kernels-s\.wasm\s+0\.\d+\s+0\.\d+ – 0\.\d+\s+faster/);
  assert.match(stdout, /harness overhead \(kernels-s\.wasm\): [\d.]+ ns per call/);
  assert.match(stdout, /machine: .*cores/);
});

test('a failing benchmark exits 1 with its message; the rest still run', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'wasm-perf-cli-'));
  writeFileSync(join(dir, 'notes.wasm'), 'plain text');
  writeFileSync(
    join(dir, 'wasm-perf.bench.json'),
    JSON.stringify({
      defaults: { budgetMs: 50, warmupMs: 5, rounds: 2 },
      benchmarks: [
        { name: 'broken', module: 'notes.wasm', export: 'f' },
        { name: 'adds', module: join(FIXTURES, 'kernels-3.wasm'), export: 'add', args: [1, 1] },
        { name: 'startup', module: join(FIXTURES, 'kernels-3.wasm'), load: { sequenceCount: 4, repetitions: 3 } },
      ],
    }),
  );
  const { code, stdout, stderr } = await cli([], dir);
  assert.equal(code, 1);
  assert.match(stderr, /broken: notes\.wasm is not a WebAssembly binary/);
  assert.match(stdout, /^adds: add\(1, 1\) in kernels-3\.wasm/m);
  assert.match(stdout, /^startup: loading kernels-3\.wasm/m);
  assert.match(stdout, /compile \+ instantiate/);

  const only = await cli(['--file', 'wasm-perf.bench.json', '--name', 'adds', '--json'], dir);
  assert.equal(only.code, 0);
  assert.deepEqual(
    JSON.parse(only.stdout).benchmarks.map((b: { name: string }) => b.name),
    ['adds'],
  );

  const unknown = await cli(['--name', 'nope'], dir);
  assert.equal(unknown.code, 2);
  assert.match(unknown.stderr, /no benchmark named 'nope'.*names: broken, adds, startup/);
});

test('a bench file with problems exits 2 and lists them', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'wasm-perf-cli-'));
  writeFileSync(join(dir, 'wasm-perf.bench.json'), JSON.stringify({ benchmarks: [{ name: 'x', module: 'a.wasm' }] }));
  const { code, stderr } = await cli([], dir);
  assert.equal(code, 2);
  assert.match(stderr, /benchmarks\[0\]\.export: is required/);
});

test('--crate builds the variants and compares them with the configured build', async () => {
  const { code, stdout, stderr } = await cli([
    '--crate',
    'test/wasm-src/kernels',
    '--variant',
    'opt-level=3,+simd128',
    '--export',
    'dot',
    '--args',
    '1',
    '--setup',
    'init',
    '--cargo',
    '/usr/bin/cargo',
    '--rustc',
    '/usr/bin/rustc',
    '--target-dir',
    mkdtempSync(join(tmpdir(), 'wasm-perf-cli-targets-')),
    ...QUICK,
    '--budget',
    '120',
  ]);
  assert.equal(code, 0, stderr);
  assert.match(stdout, /^built as configured: .*wasm-perf-cli-targets-.*kernels\.wasm/m);
  // The variant was built differently (a median ratio well below 1 on `dot`); whether the interval
  // clears 1 with this short budget depends on the machine's load, so either verdict passes.
  assert.match(stdout, /opt-level=3,\+simd128 vs as configured\s+0\.\d+\s+\S+ – \S+\s+(faster|no-difference)\n/);
});

test('the bundled CLI runs the bench command end to end, with no progress on a piped stderr', () => {
  const result = spawnSync(process.execPath, ['dist/cli.js', 'bench', join(FIXTURES, 'kernels-s.wasm'), '--export', 'empty', ...QUICK], {
    encoding: 'utf8',
  });
  assert.equal(result.status, 0, result.stderr);
  assert.match(result.stdout, /empty\(\) in kernels-s\.wasm/);
  assert.equal(result.stderr, '', 'stderr is a pipe here, not a terminal');
});

test('progress is one line redrawn on a terminal stderr, erased before the results, and absent otherwise', async () => {
  // A budget above the progress line's 300 ms delay, so the line is drawn at least once.
  const args = [join(FIXTURES, 'kernels-s.wasm'), '--export', 'add', '--args', '2,3', ...QUICK, '--budget', '400'];
  const piped = await cli(args);
  assert.equal(piped.code, 0, piped.stderr);
  assert.equal(piped.stderr, '');
  const terminal = await cli(args, process.cwd(), true);
  assert.equal(terminal.code, 0, terminal.stderr);
  assert.match(terminal.stderr, /^\r\u001b\[2Kwasm-perf: [^\n]*kernels-s\.wasm: [A-Z][^\n]*…/);
  assert.ok(!terminal.stderr.includes('\n'), 'redrawn in place, never a new line');
  assert.ok(terminal.stderr.endsWith('\r\u001b[2K'), 'erased before the results are printed');
  assert.match(terminal.stdout, /add\(2, 3\) in kernels-s\.wasm/);
});
