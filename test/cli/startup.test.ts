/**
 * The bundled CLI loads only what the command it runs needs: dist/cli.js is the dispatcher, and
 * each command is a bundle of its own (see esbuild.mjs). Checked by recording which dist/ files a
 * process loads, so `--version` starts like a bare `node` and `inspect` never compiles the bench harness.
 */
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import { paddedTo } from '../wasm/bytes';

const DIST = join(process.cwd(), 'dist');
/** A module this large once made `inspect` start a validation thread early; now none starts for a valid one. */
const LARGE_BYTES = 8 * 1024 * 1024;
const dir = mkdtempSync(join(tmpdir(), 'wasm-perf-startup-'));
after(() => rmSync(dir, { recursive: true, force: true }));

/** Preloaded: prints, at exit, every file under dist/ that the process compiled as a module. */
const RECORD = `
const Module = require('module');
const loaded = new Set();
const compile = Module.prototype._compile;
Module.prototype._compile = function (content, filename) {
  if (filename.startsWith(${JSON.stringify(`${DIST}/`)})) loaded.add(filename.slice(${DIST.length + 1}));
  return compile.call(this, content, filename);
};
// Worker threads (the validation thread) run this preload too; only the main thread reports.
if (require('worker_threads').isMainThread) process.on('exit', () => require('fs').writeSync(3, JSON.stringify([...loaded].sort())));
`;

/** Also preloaded: the threads the main thread starts, in order with the dist/ files it compiles. */
const RECORD_THREADS = `
const threads = require('worker_threads');
const events = [];
const Module = require('module');
const compile = Module.prototype._compile;
Module.prototype._compile = function (content, filename) {
  if (filename.startsWith(${JSON.stringify(`${DIST}/`)})) events.push(filename.slice(${DIST.length + 1}));
  return compile.call(this, content, filename);
};
const Worker = threads.Worker;
threads.Worker = class extends Worker {
  constructor(file, options) {
    events.push('thread ' + require('path').basename(String(file)));
    super(file, options);
  }
};
if (threads.isMainThread) process.on('exit', () => require('fs').writeSync(3, JSON.stringify(events)));
`;

function loadedFiles(args: readonly string[], recorder = RECORD, status = 0): string[] {
  const record = join(dir, 'record.js');
  writeFileSync(record, recorder);
  const run = spawnSync(process.execPath, ['--require', record, join(DIST, 'cli.js'), ...args], {
    stdio: ['ignore', 'pipe', 'pipe', 'pipe'],
    encoding: 'utf8',
  });
  assert.equal(run.status, status, run.stderr);
  return JSON.parse(run.output[3]!) as string[];
}

describe('CLI start-up', () => {
  it('loads no command for --version and --help', () => {
    assert.deepEqual(loadedFiles(['--version']), ['cli.js']);
    assert.deepEqual(loadedFiles(['--help']), ['cli.js']);
  });

  it('loads only the command that runs', () => {
    assert.deepEqual(loadedFiles(['rules']), ['cli-rules.js', 'cli.js']);
    const wasm = join(dir, 'empty-module.wasm');
    writeFileSync(wasm, Uint8Array.of(0x00, 0x61, 0x73, 0x6d, 1, 0, 0, 0));
    assert.deepEqual(loadedFiles(['inspect', '--json', wasm]), ['cli-inspect.js', 'cli.js']);
  });

  it("builds inspect's bundle from the binaries' area alone: no Cargo, TOML or host-code analysis", () => {
    // The development build's source map names every file in the bundle.
    const { sources } = JSON.parse(readFileSync(join(DIST, 'cli-inspect.js.map'), 'utf8')) as { sources: string[] };
    assert.ok(sources.some((source) => source.endsWith('src/core/wasm/load.ts')));
    const foreign = sources.filter((source) =>
      /src\/core\/(cargo|hostcode)\/(?!model\.ts$)|toml-eslint-parser|web-tree-sitter/.test(source),
    );
    assert.deepEqual(foreign, [], 'only the empty models of the other areas');
  });

  it('validates on the main thread: a thread starts only for the message on an invalid module', () => {
    const preamble = [0x00, 0x61, 0x73, 0x6d, 1, 0, 0, 0, 1, 4, 1, 0x60, 0, 0, 3, 2, 1, 0];
    // One function `() -> ()`: empty, then one that leaves an i64 on the stack.
    const valid = [...preamble, 10, 4, 1, 2, 0, 0x0b];
    const invalid = [...preamble, 10, 6, 1, 4, 0, 0x42, 0, 0x0b];
    const files = { small: valid, large: paddedTo(valid, LARGE_BYTES), invalid };
    for (const [name, bytes] of Object.entries(files)) writeFileSync(join(dir, `${name}.wasm`), Uint8Array.from(bytes));
    for (const name of ['small', 'large']) {
      assert.deepEqual(loadedFiles(['inspect', '--json', join(dir, `${name}.wasm`)], RECORD_THREADS), ['cli.js', 'cli-inspect.js'], name);
    }
    // Exit code 1: the module's wasm-invalid finding.
    assert.deepEqual(loadedFiles(['inspect', '--json', join(dir, 'invalid.wasm')], RECORD_THREADS, 1), [
      'cli.js',
      'cli-inspect.js',
      'thread validation.js',
    ]);
  });
});
