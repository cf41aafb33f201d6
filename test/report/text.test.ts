import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { Finding } from '../../src/core/model';
import { renderLine } from '../../src/core/report/display';
import { formatFindingText, formatNoticeText, formatSummaryText } from '../../src/core/report/text';
import { CWD, findingAt, source, sourcesOf } from './sample';

const plain = { cwd: CWD, color: false };

/** The column (in terminal cells) of the first caret and the caret count in a rendered snippet. */
function caret(output: string): { line: string; column: number; width: number } {
  const rows = output.split('\n');
  const underline = rows.findIndex((row) => /^\s*\|\s*\^/.test(row));
  assert.ok(underline > 0, `no underline in:\n${output}`);
  const sourceRow = rows[underline - 1]!;
  const bar = sourceRow.indexOf('| ');
  const text = sourceRow.slice(bar + 2);
  const marks = rows[underline]!.slice(bar + 2);
  return { line: text, column: marks.indexOf('^'), width: marks.trim().length };
}

describe('text report', () => {
  it('prints file:line:col, severity and rule, the source line and a caret under the span', () => {
    const manifest = source(`${CWD}/Cargo.toml`, '[profile.release]\nopt-level = "s"\n');
    const output = formatFindingText(findingAt(manifest, '"s"'), sourcesOf(manifest), plain);
    const lines = output.split('\n');
    assert.equal(lines[0], 'Cargo.toml:2:13: warning[opt-level-size]: opt-level "s" trades speed for size');
    assert.deepEqual(lines.slice(1, 4), ['  |', '2 | opt-level = "s"', '  |             ^^^']);
  });

  it('expands tabs so the caret stays under the span', () => {
    const file = source(`${CWD}/Cargo.toml`, '[profile.release]\n\topt-level\t= "z"\n');
    const output = formatFindingText(findingAt(file, '"z"'), sourcesOf(file), plain);
    assert.match(output, /^Cargo\.toml:2:14: /);
    const { line, column, width } = caret(output);
    assert.equal(line, '    opt-level    = "z"');
    assert.equal(line.slice(column, column + width), '"z"');
  });

  it('handles CRLF line endings without printing carriage returns', () => {
    const file = source(`${CWD}/Cargo.toml`, '[profile.release]\r\nlto = false\r\nopt-level = "s"\r\n');
    const output = formatFindingText(findingAt(file, '"s"'), sourcesOf(file), plain);
    assert.match(output, /^Cargo\.toml:3:13: /);
    assert.ok(!output.includes('\r'));
    const { line, column, width } = caret(output);
    assert.equal(line.slice(column, column + width), '"s"');
  });

  it('aligns the caret after wide and astral characters by terminal cells', () => {
    const file = source(`${CWD}/src/host.rs`, 'let name = "日本😀"; engine.compile(x);\n');
    const output = formatFindingText(findingAt(file, 'engine.compile'), sourcesOf(file), plain);
    // The column counts UTF-16 units: 12 ASCII, 2 CJK, 2 for the surrogate pair, 3 more, then the span.
    assert.match(output, /^src\/host\.rs:1:20: /);
    const { line, column, width } = caret(output);
    assert.equal(width, 'engine.compile'.length);
    // Terminal cells before the span: 12 + 2×2 (CJK) + 2 (emoji) + 3.
    assert.equal(column, 21);
    assert.equal(line, 'let name = "日本😀"; engine.compile(x);');
  });

  it('shows control characters as visible symbols, never raw', () => {
    const file = source(`${CWD}/build.sh`, 'export RUSTFLAGS="\u001b[31m-C opt-level=s"\n');
    const output = formatFindingText(findingAt(file, 'opt-level=s'), sourcesOf(file), plain);
    assert.ok(!output.includes('\u001b'), 'raw escape reached the output');
    assert.ok(output.includes('\u241b[31m'));
    const { line, column, width } = caret(output);
    assert.equal(line.slice(column, column + width), 'opt-level=s');
  });

  it('underlines the first and last line of a multi-line span', () => {
    const file = source(`${CWD}/.cargo/config.toml`, '[build]\nrustflags = [\n  "-C",\n  "opt-level=s",\n]\n');
    const start = file.text.indexOf('[\n');
    const end = file.text.indexOf(']\n', start) + 1;
    const finding = findingAt(file, '[\n', { location: { file: file.path, span: { start, end } } });
    const output = formatFindingText(finding, sourcesOf(file), plain);
    assert.match(output, /^\.cargo\/config\.toml:2:13: /);
    assert.match(output, /\n2 \| rustflags = \[\n {2}\| {13}\^\n\.\.\. \|\n5 \| \]\n {2}\| \^\n/);
  });

  it('cuts very long lines to a window around the span', () => {
    const file = source(`${CWD}/gen.rs`, `${'x'.repeat(500)}TARGET${'y'.repeat(500)}\n`);
    const output = formatFindingText(findingAt(file, 'TARGET'), sourcesOf(file), plain);
    const { line, column, width } = caret(output);
    assert.ok(line.length < 200, `line not cut: ${line.length}`);
    assert.ok(line.startsWith('…') && line.endsWith('…'));
    assert.equal(line.slice(column, column + width), 'TARGET');
  });

  it('prints binary locations as file@0xOFFSET without a snippet', () => {
    const wasm = `${CWD}/target/wasm32-unknown-unknown/release/app.wasm`;
    const output = formatFindingText(
      {
        ruleId: 'wasm-no-simd',
        severity: 'info',
        message: 'no SIMD instructions',
        location: { file: wasm, binary: true, span: { start: 0x1f, end: 0x40 } },
        evidence: [],
        fixes: [],
      },
      new Map(),
      plain,
    );
    assert.equal(
      output,
      'target/wasm32-unknown-unknown/release/app.wasm@0x1f: info[wasm-no-simd]: no SIMD instructions\n  = note: for more information: wasm-perf explain wasm-no-simd\n',
    );
  });

  it('prints the detail, evidence (with their locations) and the preferred fix as help', () => {
    const manifest = source(`${CWD}/Cargo.toml`, '[profile.release]\nopt-level = "s"\n');
    const config = source(`${CWD}/.cargo/config.toml`, '[build]\ntarget = "wasm32-unknown-unknown"\n');
    const finding = findingAt(manifest, '"s"', {
      detail: 'Size levels turn off loop vectorisation.\nMeasured 20% slower.',
      evidence: [
        { message: 'the build targets wasm32', location: { file: config.path, span: { start: 8, end: 14 } } },
        { message: 'no profile overrides opt-level' },
      ],
      fixes: [
        { title: 'Silence opt-level-size on this line', applicability: 'safe', changes: [] },
        { title: 'Set opt-level = 3', preferred: true, applicability: 'safe', changes: [] },
      ],
    });
    const lines = formatFindingText(finding, sourcesOf(manifest, config), plain).split('\n');
    assert.deepEqual(lines.slice(4), [
      '  = note: Size levels turn off loop vectorisation.',
      '          Measured 20% slower.',
      '  = note: the build targets wasm32',
      '    --> .cargo/config.toml:2:1',
      '  = note: no profile overrides opt-level',
      '  = help: Set opt-level = 3',
      '  = note: for more information: wasm-perf explain opt-level-size',
      '',
    ]);
  });

  it('says what it takes to apply a fix that --fix does not apply', () => {
    const manifest = source(`${CWD}/Cargo.toml`, 'opt-level = "s"\n');
    const help = (fixes: Finding['fixes']) =>
      formatFindingText(findingAt(manifest, '"s"', { fixes }), sourcesOf(manifest), plain)
        .split('\n')
        .filter((l) => l.includes('help:'));
    assert.deepEqual(help([{ title: 'Use opt-level = 3', preferred: true, applicability: 'unsafe', changes: [] }]), [
      '  = help: Use opt-level = 3 (unsafe fix: applied only with --unsafe-fixes)',
    ]);
    assert.deepEqual(help([{ title: 'Compile once', preferred: true, applicability: 'display-only', changes: [] }]), [
      '  = help: Compile once (suggestion: never applied automatically)',
    ]);
    assert.deepEqual(help([{ title: 'Remove the table', applicability: 'safe', changes: [] }]), [
      '  = help: Remove the table (not applied by --fix)',
    ]);
    assert.deepEqual(help([]), []);
  });

  it('prints a path without position when the file text is unknown, and absolute paths outside the cwd', () => {
    const output = formatFindingText(
      {
        ruleId: 'opt-level-size',
        severity: 'error',
        message: 'not valid UTF-8',
        location: { file: '/elsewhere/Cargo.toml', span: { start: 0, end: 0 } },
        evidence: [],
        fixes: [],
      },
      new Map(),
      plain,
    );
    assert.equal(
      output,
      '/elsewhere/Cargo.toml: error[opt-level-size]: not valid UTF-8\n  = note: for more information: wasm-perf explain opt-level-size\n',
    );
  });

  it('colours only when asked', () => {
    const manifest = source(`${CWD}/Cargo.toml`, 'opt-level = "s"\n');
    const finding = findingAt(manifest, '"s"', { severity: 'error' });
    assert.ok(!formatFindingText(finding, sourcesOf(manifest), plain).includes('\u001b['));
    const coloured = formatFindingText(finding, sourcesOf(manifest), { cwd: CWD, color: true });
    assert.ok(coloured.includes('\u001b[1;31merror[opt-level-size]\u001b[0m'));
  });

  it('summarises counts and fixable findings', () => {
    assert.equal(
      formatSummaryText({ counts: { error: 1, warning: 2, info: 1, fixable: 2, unsafeFixable: 0 }, filesChecked: 4, color: false }),
      'wasm-perf: 1 error, 2 warnings, 1 info in 4 files (2 fixable with --fix)\n',
    );
    assert.equal(
      formatSummaryText({ counts: { error: 0, warning: 2, info: 1, fixable: 1, unsafeFixable: 2 }, filesChecked: 4, color: false }),
      'wasm-perf: 2 warnings, 1 info in 4 files (1 fixable with --fix, 2 more with --unsafe-fixes)\n',
    );
    assert.equal(
      formatSummaryText({ counts: { error: 0, warning: 1, info: 0, fixable: 0, unsafeFixable: 1 }, filesChecked: 4, color: false }),
      'wasm-perf: 1 warning in 4 files (1 with --unsafe-fixes)\n',
    );
    assert.equal(
      formatSummaryText({ counts: { error: 0, warning: 0, info: 0, fixable: 0, unsafeFixable: 0 }, filesChecked: 1, color: false }),
      'wasm-perf: no findings in 1 file\n',
    );
  });

  it('formats notices as one line with a relative path', () => {
    assert.equal(
      formatNoticeText({ file: `${CWD}/target/huge.wasm`, kind: 'skipped', message: 'skipped: too large' }, CWD),
      'wasm-perf: notice: target/huge.wasm: skipped: too large\n',
    );
    assert.equal(
      formatNoticeText({ file: `${CWD}/x`, kind: 'internal', message: 'rule x failed\nwith\u0007bell' }, CWD),
      'wasm-perf: internal error: x: rule x failed\u240awith\u2407bell\n',
    );
    // A notice about the whole run is filed under the root: no "./" prefix.
    assert.equal(
      formatNoticeText({ file: CWD, kind: 'skipped', message: 'skipped 3 .wasm files' }, CWD),
      'wasm-perf: notice: skipped 3 .wasm files\n',
    );
  });
});

describe('renderLine', () => {
  it('underlines at least one cell for an empty span, including at the end of the line', () => {
    assert.deepEqual(renderLine('abc', 1, 1), { text: 'abc', underlineStart: 1, underlineWidth: 1 });
    assert.deepEqual(renderLine('abc', 3, 3), { text: 'abc', underlineStart: 3, underlineWidth: 1 });
  });

  it('gives zero width to combining marks', () => {
    const rendered = renderLine('e\u0301x', 2, 3);
    assert.equal(rendered.underlineStart, 1);
    assert.equal(rendered.underlineWidth, 1);
  });
});
