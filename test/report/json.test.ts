import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { buildJsonReport, JSON_SCHEMA_VERSION } from '../../src/core/report/json';
import { CWD, findingAt, reportInput, source, sourcesOf } from './sample';

describe('JSON report', () => {
  const manifest = source(`${CWD}/Cargo.toml`, '[profile.release]\r\nopt-level = "s"\r\n');
  const start = manifest.text.indexOf('"s"');
  const finding = findingAt(manifest, '"s"', {
    detail: 'why',
    evidence: [{ message: 'from here', location: { file: manifest.path, span: { start: 1, end: 8 } } }, { message: 'no location' }],
    fixes: [
      {
        title: 'Set opt-level = 3',
        preferred: true,
        applicability: 'safe',
        changes: [{ file: manifest.path, edits: [{ start, end: start + 3, newText: '3' }] }],
      },
      {
        title: 'Add a config',
        applicability: 'safe',
        changes: [{ file: `${CWD}/.cargo/config.toml`, create: true, edits: [{ start: 0, end: 0, newText: '[build]\n' }] }],
      },
    ],
  });
  const binary = {
    ruleId: 'wasm-no-simd',
    severity: 'info' as const,
    message: 'no SIMD',
    evidence: [],
    fixes: [],
    location: { file: `${CWD}/app.wasm`, binary: true, span: { start: 16, end: 48 } },
  };
  const report = buildJsonReport(
    reportInput({
      findings: [finding, binary],
      sources: sourcesOf(manifest),
      notices: [{ file: `${CWD}/big.wasm`, kind: 'skipped', message: 'skipped: too large' }],
      ruleSettings: { 'wasm-no-simd': 'off' },
      fixed: [{ file: `${CWD}/Cargo.toml`, created: false, fixes: ['Set opt-level = 3'] }],
    }),
  );

  it('carries the schema version, tool, summary and relative roots', () => {
    assert.equal(report.schemaVersion, JSON_SCHEMA_VERSION);
    assert.deepEqual(report.tool, { name: 'wasm-perf', version: '9.8.7' });
    assert.equal(report.cwd, CWD);
    assert.deepEqual(report.roots, ['.']);
    assert.deepEqual(report.summary, { findings: 2, error: 0, warning: 1, info: 1, fixable: 1, unsafeFixable: 0, filesChecked: 3 });
  });

  it('gives text locations 1-based line/column and offsets', () => {
    const [first] = report.findings;
    assert.deepEqual(first!.location, {
      file: 'Cargo.toml',
      path: `${CWD}/Cargo.toml`,
      binary: false,
      start: { line: 2, column: 13, offset: start },
      end: { line: 2, column: 16, offset: start + 3 },
    });
    assert.equal(first!.detail, 'why');
    assert.deepEqual(first!.evidence[0]!.location?.start, { line: 1, column: 2, offset: 1 });
    assert.deepEqual(first!.evidence[1], { message: 'no location' });
  });

  it('gives binary locations byte offset and length', () => {
    assert.deepEqual(report.findings[1]!.location, {
      file: 'app.wasm',
      path: `${CWD}/app.wasm`,
      binary: true,
      byteOffset: 16,
      byteLength: 32,
    });
  });

  it('includes every fix with its edits, their ranges, and whether it creates a file', () => {
    const [preferred, create] = report.findings[0]!.fixes;
    assert.equal(preferred!.preferred, true);
    assert.deepEqual(preferred!.changes[0]!.edits[0], {
      start,
      end: start + 3,
      newText: '3',
      range: { start: { line: 2, column: 13, offset: start }, end: { line: 2, column: 16, offset: start + 3 } },
    });
    assert.equal(create!.preferred, false);
    assert.equal(create!.changes[0]!.create, true);
    assert.equal(create!.changes[0]!.file, '.cargo/config.toml');
    assert.deepEqual(create!.changes[0]!.edits[0]!.range?.start, { line: 1, column: 1, offset: 0 });
  });

  it('lists every rule with its effective severity, the notices and what --fix wrote', () => {
    assert.deepEqual(
      report.rules.map((r) => [r.id, r.defaultSeverity, r.severity]),
      [
        ['opt-level-size', 'warning', 'warning'],
        ['wasm-no-simd', 'info', 'off'],
      ],
    );
    assert.ok(report.rules[0]!.docs.startsWith('# opt-level-size'));
    assert.deepEqual(report.notices, [{ kind: 'skipped', file: 'big.wasm', path: `${CWD}/big.wasm`, message: 'skipped: too large' }]);
    assert.deepEqual(report.fixed, [{ file: 'Cargo.toml', path: `${CWD}/Cargo.toml`, created: false, fixes: ['Set opt-level = 3'] }]);
  });

  it('survives a JSON round trip unchanged (plain data only)', () => {
    assert.deepEqual(JSON.parse(JSON.stringify(report)), report);
  });
});
