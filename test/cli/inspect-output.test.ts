/**
 * `inspect --json` on a module whose report is megabytes of JSON, through a pipe: a slow reader gets
 * the whole report (the CLI waits for the pipe instead of queueing the output in memory), and a
 * reader that stops early ends the process without an error.
 */
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Readable } from 'node:stream';
import { after, describe, it } from 'node:test';
import { setTimeout as sleep } from 'node:timers/promises';
import { ByteChunks } from '../../src/core/wasm/encode';
import { name, section, uleb, wasm } from '../wasm/bytes';

const CLI = join(process.cwd(), 'dist/cli.js');
const dir = mkdtempSync(join(tmpdir(), 'wasm-perf-inspect-output-'));
after(() => rmSync(dir, { recursive: true, force: true }));

const EXPORTS = 20_000;

/**
 * One function `(i32, i64) -> ()`, exported under EXPORTS names: about 5 MB of JSON. The function
 * leaves an i64 on the stack, so the module is invalid and inspect must exit with 1 (an error finding).
 */
function manyExports(): string {
  const exports = new ByteChunks();
  exports.push(uleb(EXPORTS));
  for (let i = 0; i < EXPORTS; i++) exports.push([...name(`exported_function_with_a_long_name_${i}`), 0x00, 0x00]);
  const payload = exports.bytes();
  const bytes = wasm(
    section(1, [1, 0x60, 2, 0x7f, 0x7e, 0]),
    section(3, [1, 0]),
    [7, ...uleb(payload.length), ...payload],
    section(10, [1, 4, 0, 0x42, 0, 0x0b]),
  );
  const path = join(dir, 'many-exports.wasm');
  writeFileSync(path, bytes);
  return path;
}

interface Run {
  readonly code: number | null;
  readonly stdout: string;
  readonly stderr: string;
}

/** Runs inspect; `reader` gets its stdout stream and may pause it or stop reading. */
function inspect(path: string, reader: (stdout: Readable, chunks: string[]) => void): Promise<Run> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [CLI, 'inspect', '--json', path], { stdio: ['ignore', 'pipe', 'pipe'] });
    const chunks: string[] = [];
    let stderr = '';
    child.stderr.setEncoding('utf8').on('data', (chunk: string) => (stderr += chunk));
    child.stdout.setEncoding('utf8');
    reader(child.stdout, chunks);
    child.on('error', reject);
    child.on('close', (code) => resolve({ code, stdout: chunks.join(''), stderr }));
  });
}

describe('inspect --json through a pipe', () => {
  const path = manyExports();

  it('gives a slow reader the whole report', async () => {
    const run = await inspect(path, (stdout, chunks) => {
      stdout.on('data', (chunk: string) => {
        chunks.push(chunk);
        // A reader that takes its time over every chunk: the writer must wait, not pile up output.
        stdout.pause();
        void sleep(1).then(() => stdout.resume());
      });
    });
    assert.equal(run.code, 1, run.stderr);
    const report = JSON.parse(run.stdout) as { wasm: { modules: { exports: { name: string }[] }[] }; findings: { ruleId: string }[] };
    assert.deepEqual(
      report.findings.map((finding) => finding.ruleId),
      ['wasm-invalid'],
    );
    const exports = report.wasm.modules[0]!.exports;
    assert.equal(exports.length, EXPORTS);
    assert.equal(exports.at(-1)!.name, `exported_function_with_a_long_name_${EXPORTS - 1}`);
  });

  it('ends quietly when the reader stops early, with the exit code of its findings', async () => {
    const run = await inspect(path, (stdout, chunks) => {
      stdout.once('data', (chunk: string) => {
        chunks.push(chunk);
        stdout.destroy();
      });
    });
    // Not 0: a wait for a pipe nobody drains any more must end, or the process would exit with 0 unfinished.
    assert.equal(run.code, 1, run.stderr);
    assert.equal(run.stderr, '');
    assert.ok(run.stdout.startsWith('{\n  "schemaVersion": 1'));
  });
});
