/**
 * The JSON Schema VS Code uses to validate wasm-perf.bench.json (package.json
 * `contributes.jsonValidation`) is a committed file; it must equal BENCH_FILE_SCHEMA.
 * After changing the schema, rewrite the file with WASM_PERF_UPDATE_GOLDEN=1.
 */
import assert from 'node:assert/strict';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { BENCH_FILE_NAME } from '../../src/bench/bench-file';
import { BENCH_FILE_SCHEMA } from '../../src/bench/bench-file-schema';

const SCHEMA_FILE = join(process.cwd(), 'media/wasm-perf.bench.schema.json');

describe('bench file schema for the editor', () => {
  it('the committed schema file equals BENCH_FILE_SCHEMA', () => {
    const expected = `${JSON.stringify(BENCH_FILE_SCHEMA, null, 2)}\n`;
    if (process.env.WASM_PERF_UPDATE_GOLDEN === '1') writeFileSync(SCHEMA_FILE, expected);
    assert.equal(
      readFileSync(SCHEMA_FILE, 'utf8'),
      expected,
      'media/wasm-perf.bench.schema.json is stale: rewrite it with WASM_PERF_UPDATE_GOLDEN=1',
    );
  });

  it('package.json validates the bench file with it', () => {
    const manifest = JSON.parse(readFileSync(join(process.cwd(), 'package.json'), 'utf8')) as {
      contributes: { jsonValidation?: { fileMatch: string | string[]; url: string }[] };
    };
    const entry = manifest.contributes.jsonValidation?.find((v) => [v.fileMatch].flat().includes(BENCH_FILE_NAME));
    assert.ok(entry, 'no jsonValidation entry for the bench file');
    assert.equal(entry.url, './media/wasm-perf.bench.schema.json');
  });
});
