import assert from 'node:assert/strict';
import { describe, it, mock } from 'node:test';
import { UsageError } from '../../src/cli/args';
import { parseByteSize, parseCheckOptions } from '../../src/cli/check-options';
import type { CliIo } from '../../src/cli/io';
import { createProgress } from '../../src/cli/progress';

describe('check options', () => {
  it('parses byte sizes with binary suffixes', () => {
    assert.equal(parseByteSize('1048576'), 1048576);
    assert.equal(parseByteSize('512k'), 512 * 1024);
    assert.equal(parseByteSize('64M'), 64 * 1024 * 1024);
    assert.equal(parseByteSize('1GiB'), 1024 ** 3);
    assert.equal(parseByteSize('10b'), 10);
    for (const bad of ['', '-1', '1.5M', '12 parsecs', '1ib', 'M']) assert.throws(() => parseByteSize(bad), UsageError, bad);
  });

  it('refuses an unbalanced --exclude glob as a usage error that names it', () => {
    assert.throws(
      () => parseCheckOptions(['--exclude', 'target/{a']),
      (error: unknown) => error instanceof UsageError && /--exclude 'target\/\{a' is not a valid glob/.test(error.message),
    );
    assert.deepEqual(parseCheckOptions(['--exclude', '[ab]/**']).settings.exclude, ['[ab]/**']);
  });

  it('maps flags to analyzer settings, repeatable flags accumulate and the last --format wins', () => {
    const options = parseCheckOptions([
      'crates',
      '--format',
      'json',
      '--format=sarif',
      '--rule',
      'opt-level-size=error',
      '--rule=release-lto=off',
      '--exclude',
      'target/**',
      '--exclude',
      'vendor',
      '--no-binaries',
      '--include-tests',
      '--max-binary-size',
      '2M',
      '--fix',
      '--unsafe-fixes',
      '--exit-zero',
      '-q',
    ]);
    assert.deepEqual(options, {
      paths: ['crates'],
      format: 'sarif',
      fix: true,
      unsafeFixes: true,
      exitZero: true,
      quiet: true,
      settings: {
        rules: { 'opt-level-size': 'error', 'release-lto': 'off' },
        exclude: ['target/**', 'vendor'],
        analyzeBinaries: false,
        includeTests: true,
        maxBinaryBytes: 2 * 1024 * 1024,
      },
    });
    assert.deepEqual(parseCheckOptions([]).paths, ['.']);
    assert.equal(parseCheckOptions([]).settings.maxBinaryBytes, undefined, 'the engine default applies');
  });
});

describe('progress line', () => {
  function io(stderrIsTty: boolean): CliIo & { err: string[] } {
    const err: string[] = [];
    return { err, stdout: () => undefined, stderr: (t) => err.push(t), cwd: '/', isTty: false, stderrIsTty, color: false };
  }

  it('appears only on a terminal, only once the scan takes a while, and is erased at the end', () => {
    mock.timers.enable({ apis: ['setTimeout'] });
    try {
      const terminal = io(true);
      const progress = createProgress(terminal, true);
      progress.update('discovering files');
      assert.deepEqual(terminal.err, [], 'nothing drawn for a quick scan');
      mock.timers.tick(400);
      progress.update('running rules');
      progress.done();
      assert.deepEqual(terminal.err, ['\r\u001b[2Kwasm-perf: discovering files…', '\r\u001b[2Kwasm-perf: running rules…', '\r\u001b[2K']);

      const quick = io(true);
      const fast = createProgress(quick, true);
      fast.update('discovering files');
      fast.done();
      mock.timers.tick(1000);
      assert.deepEqual(quick.err, [], 'a scan that ends early leaves no trace');

      const building = io(true);
      const withOutput = createProgress(building, true);
      withOutput.update('building');
      withOutput.log('before the line\n');
      mock.timers.tick(400);
      withOutput.log('compiling kernels\n');
      withOutput.done();
      assert.deepEqual(
        building.err,
        [
          'before the line\n',
          '\r\u001b[2Kwasm-perf: building…',
          '\r\u001b[2Kcompiling kernels\n',
          '\r\u001b[2Kwasm-perf: building…',
          '\r\u001b[2K',
        ],
        'output that is not progress lifts the line out of its way',
      );

      const piped = io(false);
      createProgress(piped, true).log('compiling kernels\n');
      assert.deepEqual(piped.err, ['compiling kernels\n'], 'output that is not progress is written on any stderr');

      for (const [stream, enabled] of [
        [io(false), true],
        [io(true), false],
      ] as const) {
        const silent = createProgress(stream, enabled);
        silent.update('x');
        mock.timers.tick(1000);
        silent.done();
        assert.deepEqual(stream.err, []);
      }
    } finally {
      mock.timers.reset();
    }
  });
});
