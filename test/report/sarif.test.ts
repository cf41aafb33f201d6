import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { Finding } from '../../src/core/model';
import { buildSarifLog, SRCROOT } from '../../src/core/report/sarif';
import { assertGithubSarif } from './sarif-shape';
import { CWD, findingAt, reportInput, source, sourcesOf } from './sample';

const manifest = source(`${CWD}/crates/my app/Cargo.toml`, '[profile.release]\nopt-level = "s"\n');
const config = source(`${CWD}/.cargo/config.toml`, '[build]\ntarget = "wasm32-unknown-unknown"\n');
const start = manifest.text.indexOf('"s"');
const finding = findingAt(manifest, '"s"', {
  detail: 'Size levels disable vectorisation.',
  evidence: [{ message: 'target set here', location: { file: config.path, span: { start: 8, end: 14 } } }, { message: 'no override' }],
  fixes: [
    {
      title: 'Silence opt-level-size on this line',
      applicability: 'safe',
      changes: [{ file: manifest.path, edits: [{ start: 18, end: 18, newText: '# wasm-perf: allow(opt-level-size)\n' }] }],
    },
    {
      title: 'Set opt-level = 3',
      preferred: true,
      applicability: 'safe',
      changes: [{ file: manifest.path, edits: [{ start, end: start + 3, newText: '3' }] }],
    },
  ],
});
const binary: Finding = {
  ruleId: 'wasm-no-simd',
  severity: 'info',
  message: 'no SIMD',
  evidence: [],
  fixes: [],
  location: { file: `${CWD}/app.wasm`, binary: true, span: { start: 16, end: 48 } },
};
const outside = findingAt(source('/home/u/.cargo/config.toml', '[build]\n'), '[build]', { severity: 'error' });

describe('SARIF log', () => {
  const log = buildSarifLog(
    reportInput({ findings: [finding, binary, outside], sources: sourcesOf(manifest, config, source(outside.location.file, '[build]\n')) }),
  );
  const run = log.runs[0]!;
  const results = run.results!;

  it('has the structure GitHub code scanning requires', () => {
    assertGithubSarif(log);
    assert.equal(run.tool.driver.version, '9.8.7');
  });

  it('describes every rule from its metadata and docs', () => {
    assert.deepEqual(run.tool.driver.rules![0], {
      id: 'opt-level-size',
      name: 'OptLevelSize',
      shortDescription: { text: 'Release profile optimises for size' },
      fullDescription: { text: 'Finds release profiles built with opt-level "s" or "z".' },
      help: {
        text: '# opt-level-size\n\nSize levels disable some speed optimisations.',
        markdown: '# opt-level-size\n\nSize levels disable some speed optimisations.',
      },
      defaultConfiguration: { level: 'warning' },
      properties: { tags: ['performance', 'build'] },
    });
    assert.equal(run.tool.driver.rules![1]!.defaultConfiguration?.level, 'note');
    const rules = [{ ...reportInput({ findings: [], sources: new Map() }).rules[0]!, fix: 'unsafe' as const }];
    const unsafeHelp = buildSarifLog(reportInput({ findings: [], sources: new Map(), rules })).runs[0]!.tool.driver.rules![0]!.help!.text;
    assert.match(unsafeHelp, /\n\n\*\*Fix applicability:\*\* unsafe .*--unsafe-fixes/);
  });

  it('locates text results relative to %SRCROOT% with 1-based UTF-16 regions', () => {
    assert.equal(run.originalUriBaseIds![SRCROOT]!.uri, `file://${CWD}/`);
    assert.equal(run.columnKind, 'utf16CodeUnits');
    const result = results[0]!;
    assert.equal(result.ruleIndex, 0);
    assert.equal(result.level, 'warning');
    assert.equal(result.message.text, 'opt-level "s" trades speed for size\n\nSize levels disable vectorisation.\n\nNote: no override');
    assert.deepEqual(result.locations![0]!.physicalLocation, {
      artifactLocation: { uri: 'crates/my%20app/Cargo.toml', uriBaseId: SRCROOT },
      region: { startLine: 2, startColumn: 13, endLine: 2, endColumn: 16, charOffset: start, charLength: 3 },
    });
    assert.deepEqual(result.relatedLocations, [
      {
        id: 1,
        message: { text: 'target set here' },
        physicalLocation: {
          artifactLocation: { uri: '.cargo/config.toml', uriBaseId: SRCROOT },
          region: { startLine: 2, startColumn: 1, endLine: 2, endColumn: 7, charOffset: 8, charLength: 6 },
        },
      },
    ]);
  });

  it('lists fixes preferred first, as replacements of deleted regions', () => {
    const fixes = results[0]!.fixes!;
    assert.deepEqual(
      fixes.map((f) => f.description?.text),
      ['Set opt-level = 3', 'Silence opt-level-size on this line'],
    );
    assert.deepEqual(fixes[0]!.artifactChanges[0]!.replacements[0], {
      deletedRegion: { startLine: 2, startColumn: 13, endLine: 2, endColumn: 16, charOffset: start, charLength: 3 },
      insertedContent: { text: '3' },
    });
  });

  it('marks each fix with its applicability and leaves suggestions out', () => {
    assert.deepEqual(
      results[0]!.fixes!.map((f) => f.properties?.['applicability']),
      ['safe', 'safe'],
    );
    const suggestion = findingAt(manifest, '"s"', { fixes: [{ title: 'Rewrite by hand', applicability: 'display-only', changes: [] }] });
    const only = buildSarifLog(reportInput({ findings: [suggestion], sources: sourcesOf(manifest) })).runs[0]!.results![0]!;
    assert.equal(only.fixes, undefined);
  });

  it('uses byte regions for binaries and absolute URIs outside the source root', () => {
    assert.deepEqual(results[1]!.locations![0]!.physicalLocation, {
      artifactLocation: { uri: 'app.wasm', uriBaseId: SRCROOT },
      region: { byteOffset: 16, byteLength: 32 },
    });
    assert.equal(results[1]!.level, 'note');
    assert.equal(results[1]!.ruleIndex, 1);
    assert.deepEqual(results[2]!.locations![0]!.physicalLocation!.artifactLocation, { uri: 'file:///home/u/.cargo/config.toml' });
    assert.equal(results[2]!.level, 'error');
  });

  it('fingerprints by rule, file and line text: stable when lines move, distinct for repeats', () => {
    const moved = source(manifest.path, `# a comment\n\n${manifest.text}`);
    const movedLog = buildSarifLog(reportInput({ findings: [findingAt(moved, '"s"')], sources: sourcesOf(moved) }));
    const fingerprintOf = (l: typeof log, i = 0) => l.runs[0]!.results![i]!.partialFingerprints!.primaryLocationLineHash;
    assert.equal(fingerprintOf(movedLog), fingerprintOf(log));

    const twice = source(manifest.path, 'opt-level = "s"\nopt-level = "s"\n');
    const second = { ...findingAt(twice, '"s"'), location: { file: twice.path, span: { start: 28, end: 31 } } };
    const twiceLog = buildSarifLog(reportInput({ findings: [findingAt(twice, '"s"'), second], sources: sourcesOf(twice) }));
    const [a, b] = [fingerprintOf(twiceLog, 0)!, fingerprintOf(twiceLog, 1)!];
    assert.equal(a.split(':')[0], b.split(':')[0]);
    assert.deepEqual([a.split(':')[1], b.split(':')[1]], ['1', '2']);

    const edited = source(manifest.path, '[profile.release]\nopt-level = "z"\n');
    const editedLog = buildSarifLog(reportInput({ findings: [findingAt(edited, '"z"')], sources: sourcesOf(edited) }));
    assert.notEqual(fingerprintOf(editedLog), fingerprintOf(log));
  });

  it('reports notices as tool execution notifications', () => {
    const withNotices = buildSarifLog(
      reportInput({
        findings: [],
        sources: new Map(),
        notices: [
          { file: `${CWD}/big.wasm`, kind: 'skipped', message: 'too large' },
          { file: CWD, kind: 'internal', message: 'rule x failed' },
        ],
      }),
    );
    const invocation = withNotices.runs[0]!.invocations![0]!;
    assert.equal(invocation.executionSuccessful, false);
    assert.deepEqual(
      invocation.toolExecutionNotifications!.map((n) => [n.level, n.message.text]),
      [
        ['warning', 'too large'],
        ['error', 'rule x failed'],
      ],
    );
    assertGithubSarif(withNotices);
  });
});
