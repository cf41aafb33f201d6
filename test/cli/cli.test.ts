/**
 * End-to-end tests of the bundled CLI (`dist/cli.js`, built by `npm run build`) on small
 * Cargo workspaces written to a temporary directory.
 */
import assert from 'node:assert/strict';
import { spawn, spawnSync } from 'node:child_process';
import { chmodSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { after, describe, it } from 'node:test';
import type * as Sarif from 'sarif';
import type { JsonReport } from '../../src/core/report/json';
import { assertGithubSarif } from '../report/sarif-shape';
import { withKernels } from '../helpers/kernel-source';

const CLI = join(process.cwd(), 'dist/cli.js');
const temporary: string[] = [];
after(() => temporary.forEach((dir) => rmSync(dir, { recursive: true, force: true })));

const SLOW_MANIFEST = `[package]
name = "demo"
version = "0.1.0"
edition = "2021"

[lib]
crate-type = ["cdylib"]

[profile.release]
opt-level = "s"
`;
const WASM_TARGET = '[build]\ntarget = "wasm32-unknown-unknown"\n';
const FAST_MANIFEST = SLOW_MANIFEST.replace('opt-level = "s"', 'opt-level = 3\nlto = true\ncodegen-units = 1');
const FAST_CONFIG = `${WASM_TARGET}\n[target.wasm32-unknown-unknown]\nrustflags = ["-C", "target-feature=+simd128"]\n`;
/** Only opt-level-size stays on, so fixes and counts are exact. */
const ONLY_OPT_LEVEL = ['--rule', 'missing-simd128=off', '--rule', 'release-lto=off', '--rule', 'release-codegen-units=off'];

function workspace(files: Record<string, string | Uint8Array>): string {
  const dir = mkdtempSync(join(tmpdir(), 'wasm-perf-cli-'));
  temporary.push(dir);
  for (const [name, content] of Object.entries(withKernels(files))) {
    mkdirSync(dirname(join(dir, name)), { recursive: true });
    writeFileSync(join(dir, name), content);
  }
  return dir;
}

const slowWorkspace = () => workspace({ 'Cargo.toml': SLOW_MANIFEST, '.cargo/config.toml': WASM_TARGET });

interface Run {
  readonly code: number | null;
  readonly stdout: string;
  readonly stderr: string;
}

/** Runs the CLI with an environment that cannot leak the machine's cargo settings in. */
function cli(cwd: string, ...args: string[]): Run {
  const env = { PATH: process.env.PATH ?? '', HOME: cwd, CARGO_HOME: join(cwd, '.no-cargo-home') };
  const result = spawnSync(process.execPath, [CLI, ...args], { cwd, env, encoding: 'utf8' });
  return { code: result.status, stdout: result.stdout, stderr: result.stderr };
}

function snapshot(dir: string): Map<string, { text: string; mtimeMs: number }> {
  const out = new Map<string, { text: string; mtimeMs: number }>();
  const walk = (d: string) => {
    for (const entry of readdirSync(d, { withFileTypes: true })) {
      const path = join(d, entry.name);
      if (entry.isDirectory()) walk(path);
      else if (entry.isFile()) out.set(path, { text: readFileSync(path, 'latin1'), mtimeMs: statSync(path).mtimeMs });
    }
  };
  walk(dir);
  return out;
}

describe('wasm-perf CLI: usage', () => {
  const dir = workspace({});

  it('prints the version and help with exit 0', () => {
    const version = cli(dir, '--version');
    assert.equal(version.code, 0);
    assert.match(version.stdout, /^wasm-perf \d+\.\d+\.\d+\n$/);
    for (const args of [['--help'], ['-h'], ['check', '--help'], ['inspect', '-h']]) {
      const help = cli(dir, ...args);
      assert.equal(help.code, 0, args.join(' '));
      assert.match(help.stdout, /Usage: wasm-perf/);
    }
  });

  it('exits 2 with a one-line reason for bad usage', () => {
    const cases: [string[], RegExp][] = [
      [[], /Usage:/],
      [['frobnicate'], /wasm-perf: error: unknown command 'frobnicate'/],
      [['check', '--bogus'], /wasm-perf: error: unknown option '--bogus'/],
      [['check', '--format'], /option '--format' needs a value/],
      [['check', '--format', 'xml'], /--format must be one of text, json, sarif/],
      [['check', '--rule', 'no-such-rule=off'], /unknown rule 'no-such-rule'/],
      [['check', '--rule', 'opt-level-size=loud'], /severity must be one of off, info, warning, error/],
      [['check', '--rule', 'opt-level-size'], /--rule expects ID=off\|info\|warning\|error/],
      [['check', '--max-binary-size', 'lots'], /--max-binary-size expects a byte count/],
      [['check', 'does-not-exist'], /no such file or directory: does-not-exist/],
      [['explain', 'opt-level-sise'], /unknown rule 'opt-level-sise' \(did you mean 'opt-level-size'\?\)/],
      [['inspect'], /inspect expects exactly one \.wasm file/],
    ];
    for (const [args, message] of cases) {
      const run = cli(dir, ...args);
      assert.equal(run.code, 2, `${args.join(' ')}: ${run.stderr}`);
      assert.match(run.stderr, message, args.join(' '));
      assert.ok(!/\n\s+at /.test(run.stderr), `stack trace printed for ${args.join(' ')}`);
    }
  });

  it('lists rules and explains one', () => {
    const rules = cli(dir, 'rules');
    assert.equal(rules.code, 0);
    assert.match(rules.stdout, /^RULE\s+DEFAULT\s+SUMMARY\n/);
    assert.match(rules.stdout, /\nopt-level-size\s+warning\s+\S/);
    const explain = cli(dir, 'explain', 'opt-level-size');
    assert.equal(explain.code, 0);
    assert.match(
      explain.stdout,
      /^opt-level-size: .+\ncategory: build, default severity: warning\nfixes: unsafe \(.+--unsafe-fixes.+\)\n\n/,
    );
    assert.match(explain.stdout, /https?:\/\//, 'the docs cite their sources');
  });
});

describe('wasm-perf check', () => {
  it('exits 0 with no findings on a well-configured crate', () => {
    const dir = workspace({ 'Cargo.toml': FAST_MANIFEST, '.cargo/config.toml': FAST_CONFIG });
    const run = cli(dir, 'check');
    assert.equal(run.code, 0, run.stdout + run.stderr);
    assert.equal(run.stdout, 'wasm-perf: no findings in 3 files\n');
  });

  it('prints compiler-style findings and exits 1 when a warning is found', () => {
    const dir = slowWorkspace();
    const run = cli(dir, 'check', ...ONLY_OPT_LEVEL);
    assert.equal(run.code, 1, run.stderr);
    const lines = run.stdout.split('\n');
    assert.match(lines[0]!, /^Cargo\.toml:10:13: warning\[opt-level-size\]: \S/);
    assert.deepEqual(lines.slice(1, 4), ['   |', '10 | opt-level = "s"', '   |             ^^^']);
    assert.ok(
      lines.some((line) => /^ {3}= help: /.test(line)),
      'a help line names the preferred fix',
    );
    assert.ok(
      lines.some((line) => line === '     --> .cargo/config.toml:2:10'),
      'evidence points at the config line',
    );
    assert.ok(lines.includes('   = note: for more information: wasm-perf explain opt-level-size'), 'a pointer to the rule docs');
    assert.match(run.stdout, /\nwasm-perf: 1 warning in 3 files \(1 with --unsafe-fixes\)\n$/);
    assert.ok(!run.stdout.includes('\u001b['), 'no colour when stdout is not a terminal');
  });

  it('reports every default rule on a crate with default release settings', () => {
    const run = cli(slowWorkspace(), 'check', '--format', 'json');
    assert.equal(run.code, 1);
    const report = JSON.parse(run.stdout) as JsonReport;
    assert.deepEqual(report.findings.map((f) => f.ruleId).sort(), [
      'missing-simd128',
      'opt-level-size',
      'release-codegen-units',
      'release-lto',
    ]);
  });

  it('--exit-zero and --quiet', () => {
    const dir = slowWorkspace();
    const zero = cli(dir, 'check', '--exit-zero');
    assert.equal(zero.code, 0);
    assert.match(zero.stdout, /warning\[opt-level-size\]/);
    const quiet = cli(dir, 'check', '--quiet', ...ONLY_OPT_LEVEL);
    assert.equal(quiet.code, 1);
    assert.ok(!quiet.stdout.includes('wasm-perf:'), 'no summary line in quiet mode');
    assert.match(quiet.stdout, /warning\[opt-level-size\]/);
  });

  it('--rule turns rules off and changes their severity', () => {
    const dir = slowWorkspace();
    const off = cli(dir, 'check', '--rule', 'opt-level-size=off', '--format', 'json');
    const offReport = JSON.parse(off.stdout) as JsonReport;
    assert.ok(!offReport.findings.some((f) => f.ruleId === 'opt-level-size'));
    assert.equal(offReport.rules.find((r) => r.id === 'opt-level-size')?.severity, 'off');

    const info = cli(dir, 'check', ...ONLY_OPT_LEVEL, '--rule', 'opt-level-size=info');
    assert.equal(info.code, 0, 'info findings do not fail the check');
    assert.match(info.stdout, /info\[opt-level-size\]/);

    const error = cli(dir, 'check', ...ONLY_OPT_LEVEL, '--rule', 'opt-level-size=error', '--format', 'json');
    assert.equal(error.code, 1);
    assert.deepEqual(
      (JSON.parse(error.stdout) as JsonReport).findings.map((f) => [f.ruleId, f.severity]),
      [['opt-level-size', 'error']],
    );
  });

  it('--format json has positions, evidence, fixes, rules and the tool version', () => {
    const dir = slowWorkspace();
    const run = cli(dir, 'check', '--format', 'json', ...ONLY_OPT_LEVEL);
    assert.equal(run.code, 1);
    const report = JSON.parse(run.stdout) as JsonReport;
    const version = JSON.parse(readFileSync(join(process.cwd(), 'package.json'), 'utf8')).version as string;
    assert.deepEqual(report.tool, { name: 'wasm-perf', version });
    assert.equal(report.schemaVersion, 1);
    assert.deepEqual(report.summary, { findings: 1, error: 0, warning: 1, info: 0, fixable: 0, unsafeFixable: 1, filesChecked: 3 });
    const [finding] = report.findings;
    const offset = SLOW_MANIFEST.indexOf('"s"');
    assert.deepEqual(finding!.location, {
      file: 'Cargo.toml',
      path: join(dir, 'Cargo.toml'),
      binary: false,
      start: { line: 10, column: 13, offset },
      end: { line: 10, column: 16, offset: offset + 3 },
    });
    assert.ok(finding!.evidence.some((e) => e.location?.file === '.cargo/config.toml'));
    const preferred = finding!.fixes.filter((f) => f.preferred);
    assert.equal(preferred.length, 1);
    assert.deepEqual(
      preferred[0]!.changes[0]!.edits.map((e) => [e.start, e.end, e.newText]),
      [[offset, offset + 3, '3']],
    );
    assert.ok(report.rules.length >= 8 && report.rules.every((r) => r.docs.length > 0 && r.summary.length > 0));
    assert.deepEqual(report.fixed, []);
  });

  it('--format sarif is a code-scanning log with relative URIs and rule docs', () => {
    const dir = slowWorkspace();
    const run = cli(dir, 'check', '--format', 'sarif');
    assert.equal(run.code, 1);
    const log = JSON.parse(run.stdout) as Sarif.Log;
    assertGithubSarif(log);
    const results = log.runs[0]!.results!;
    const optLevel = results.find((r) => r.ruleId === 'opt-level-size')!;
    assert.deepEqual(optLevel.locations![0]!.physicalLocation, {
      artifactLocation: { uri: 'Cargo.toml', uriBaseId: '%SRCROOT%' },
      region: { startLine: 10, startColumn: 13, endLine: 10, endColumn: 16, charOffset: SLOW_MANIFEST.indexOf('"s"'), charLength: 3 },
    });
    assert.equal(log.runs[0]!.originalUriBaseIds!['%SRCROOT%']!.uri, `file://${dir}/`);
    assert.ok(optLevel.relatedLocations!.some((l) => l.physicalLocation?.artifactLocation?.uri === '.cargo/config.toml'));
    assert.equal(optLevel.fixes![0]!.artifactChanges[0]!.replacements[0]!.insertedContent?.text, '3');
  });

  it('locates binary findings by byte offset in every format', () => {
    const dir = workspace({ 'build/release/app.wasm': readFileSync(join(process.cwd(), 'test/fixtures/wasm/c-wasi-report.wasm')) });
    const text = cli(dir, 'check');
    assert.equal(text.code, 0, 'an info finding does not fail the check');
    assert.match(text.stdout, /^build\/release\/app\.wasm@0x[0-9a-f]+: info\[wasm-no-simd\]: /m);
    const json = JSON.parse(cli(dir, 'check', '--format', 'json').stdout) as JsonReport;
    const location = json.findings.find((f) => f.ruleId === 'wasm-no-simd')!.location;
    assert.equal(location.binary, true);
    assert.equal(text.stdout.match(/@0x([0-9a-f]+)/)![1], location.byteOffset!.toString(16));
    const sarif = JSON.parse(cli(dir, 'check', '--format', 'sarif').stdout) as Sarif.Log;
    assertGithubSarif(sarif);
    assert.deepEqual(sarif.runs[0]!.results![0]!.locations![0]!.physicalLocation!.region, {
      byteOffset: location.byteOffset,
      byteLength: location.byteLength,
    });
  });

  it('never writes without --fix, whatever the format', () => {
    const dir = slowWorkspace();
    const before = snapshot(dir);
    for (const format of ['text', 'json', 'sarif']) cli(dir, 'check', '--format', format);
    assert.deepEqual(snapshot(dir), before);
  });

  it('--fix applies only safe fixes; an unsafe one waits for --unsafe-fixes, which needs --fix', () => {
    const dir = slowWorkspace();
    const before = snapshot(dir);
    const run = cli(dir, 'check', '--fix', ...ONLY_OPT_LEVEL);
    assert.equal(run.code, 1, run.stdout + run.stderr);
    assert.match(run.stdout, /= help: Use opt-level = 3 \(unsafe fix: applied only with --unsafe-fixes\)/);
    assert.deepEqual(snapshot(dir), before, 'the opt-level trade-off is not applied by --fix alone');
    const usage = cli(dir, 'check', '--unsafe-fixes');
    assert.equal(usage.code, 2);
    assert.match(usage.stderr, /--unsafe-fixes only changes what --fix applies; add --fix/);
    assert.deepEqual(snapshot(dir), before);
  });

  it('--fix --unsafe-fixes writes the preferred fix in place, reports it, and a second run changes nothing', () => {
    const dir = slowWorkspace();
    const run = cli(dir, 'check', '--fix', '--unsafe-fixes', ...ONLY_OPT_LEVEL);
    assert.equal(run.code, 0, run.stdout + run.stderr);
    assert.match(run.stdout, /^fixed Cargo\.toml: .+\n\nwasm-perf: no findings in 3 files\n$/);
    assert.equal(readFileSync(join(dir, 'Cargo.toml'), 'utf8'), SLOW_MANIFEST.replace('opt-level = "s"', 'opt-level = 3'));
    assert.equal(readFileSync(join(dir, '.cargo/config.toml'), 'utf8'), WASM_TARGET, 'disabled rules fix nothing');

    const before = snapshot(dir);
    const again = cli(dir, 'check', '--fix', '--unsafe-fixes', ...ONLY_OPT_LEVEL);
    assert.equal(again.code, 0);
    assert.equal(again.stdout, 'wasm-perf: no findings in 3 files\n');
    assert.deepEqual(snapshot(dir), before);
    assert.deepEqual(readdirSync(dir).sort(), ['.cargo', 'Cargo.toml', 'src'], 'no temporary files left');
  });

  it('--fix --unsafe-fixes with every rule converges to a clean crate', () => {
    const dir = slowWorkspace();
    const run = cli(dir, 'check', '--fix', '--unsafe-fixes', '--format', 'json');
    assert.equal(run.code, 0, run.stderr);
    const report = JSON.parse(run.stdout) as JsonReport;
    assert.deepEqual(report.findings, []);
    assert.deepEqual([...new Set(report.fixed.map((f) => f.file))].sort(), ['.cargo/config.toml', 'Cargo.toml']);
    assert.match(run.stderr, /^fixed /m, 'with a JSON report on stdout, fix messages go to stderr');
    assert.equal(cli(dir, 'check').code, 0);
  });

  it('--fix on a read-only file leaves it untouched, says so and exits 2', () => {
    const dir = slowWorkspace();
    const manifest = join(dir, 'Cargo.toml');
    chmodSync(manifest, 0o444);
    const run = cli(dir, 'check', '--fix', '--unsafe-fixes', ...ONLY_OPT_LEVEL);
    assert.equal(run.code, 2);
    assert.match(run.stderr, /wasm-perf: error: could not fix Cargo\.toml: file is read-only \(file left unchanged\)/);
    assert.equal(readFileSync(manifest, 'utf8'), SLOW_MANIFEST);
    assert.equal(statSync(manifest).mode & 0o777, 0o444);
    assert.match(run.stdout, /warning\[opt-level-size\]/, 'the unfixed finding is still reported');
  });

  it('survives symlink loops, a non-UTF-8 manifest and odd binaries, and analyses the rest', () => {
    const dir = workspace({
      'Cargo.toml': SLOW_MANIFEST,
      '.cargo/config.toml': WASM_TARGET,
      'broken/Cargo.toml': Uint8Array.from([...Buffer.from('[package]\nname = "b'), 0xff, 0xfe, ...Buffer.from('"\n')]),
      'empty.wasm': new Uint8Array(0),
      'big.wasm': new Uint8Array(4096),
    });
    symlinkSync('.', join(dir, 'self'));
    symlinkSync(join(dir, 'loop-b'), join(dir, 'loop-a'));
    symlinkSync(join(dir, 'loop-a'), join(dir, 'loop-b'));
    const run = cli(dir, 'check', '--max-binary-size', '1k', ...ONLY_OPT_LEVEL);
    assert.equal(run.code, 1, run.stderr);
    assert.ok(!/\n\s+at /.test(run.stderr), 'no stack trace');
    assert.match(run.stdout, /^Cargo\.toml:10:13: warning\[opt-level-size\]/m, 'the healthy crate is still analysed');
    assert.match(run.stdout, /^broken\/Cargo\.toml: error\[toml-syntax\]: .*UTF-8/m);
    assert.match(run.stderr, /^wasm-perf: notice: loop-a: /m);
    assert.match(
      run.stderr,
      /^wasm-perf: notice: empty\.wasm: empty file, not a wasm binary: skipped$/m,
      'a 0-byte placeholder is a notice',
    );
    assert.ok(!run.stdout.includes('empty.wasm'), 'and no finding');
    assert.match(run.stderr, /^wasm-perf: notice: big\.wasm: skipped: 4096 bytes is more than the 1024-byte limit for binaries$/m);
    assert.ok(!run.stdout.includes('big.wasm'), 'the skipped binary is not analysed');
  });

  it('draws no progress line and no colour when not on a terminal, and honours NO_COLOR', () => {
    const dir = slowWorkspace();
    const run = spawnSync(process.execPath, [CLI, 'check'], {
      cwd: dir,
      env: { PATH: process.env.PATH ?? '', HOME: dir, NO_COLOR: '1' },
      encoding: 'utf8',
    });
    assert.ok(!run.stdout.includes('\u001b') && !run.stderr.includes('\u001b'));
  });

  it('exits quietly when the reader closes the pipe', async () => {
    const dir = slowWorkspace();
    const child = spawn(process.execPath, [CLI, 'check', '--format', 'json'], {
      cwd: dir,
      env: { PATH: process.env.PATH ?? '', HOME: dir },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    child.stdout.destroy();
    let stderr = '';
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    const code = await new Promise<number | null>((resolve) => child.on('close', resolve));
    assert.equal(stderr, '');
    assert.equal(code, 1, 'the exit code still reflects the findings');
  });
});

/** (i32, i32) -> i32 `add`, exported: the smallest useful module. */
const ADD_MODULE = Uint8Array.from([
  0x00, 0x61, 0x73, 0x6d, 0x01, 0x00, 0x00, 0x00, 0x01, 0x07, 0x01, 0x60, 0x02, 0x7f, 0x7f, 0x01, 0x7f, 0x03, 0x02, 0x01, 0x00, 0x07, 0x07,
  0x01, 0x03, 0x61, 0x64, 0x64, 0x00, 0x00, 0x0a, 0x09, 0x01, 0x07, 0x00, 0x20, 0x00, 0x20, 0x01, 0x6a, 0x0b,
]);

describe('wasm-perf inspect', () => {
  it('summarises sections, features, functions and exports', () => {
    const dir = workspace({ 'add.wasm': ADD_MODULE });
    const run = cli(dir, 'inspect', 'add.wasm');
    assert.equal(run.code, 0, run.stderr);
    assert.match(run.stdout, /^add\.wasm: core module, version 1, 41 B \(41 bytes\)\n/);
    assert.match(run.stdout, /\nSections:\n {2}type\s+0x8\s+7 B\n/);
    assert.match(run.stdout, /\nExports \(1\):\n {2}add {2}func\[0\] \(i32, i32\) -> i32\n/);
    assert.match(run.stdout, /\nImports: none\n/);
    assert.match(run.stdout, /\nFindings: /);
  });

  it('--json gives the decoded report and the findings', () => {
    const dir = workspace({ 'add.wasm': ADD_MODULE });
    const run = cli(dir, 'inspect', 'add.wasm', '--json');
    assert.equal(run.code, 0, run.stderr);
    const report = JSON.parse(run.stdout);
    assert.equal(report.file, 'add.wasm');
    assert.equal(report.wasm.kind, 'module');
    assert.equal(report.wasm.fileSize, ADD_MODULE.length);
    assert.deepEqual(
      report.wasm.modules[0].exports.map((e: { name: string }) => e.name),
      ['add'],
    );
    assert.deepEqual(
      report.wasm.modules[0].sections.map((s: { name: string }) => s.name),
      ['type', 'function', 'export', 'code'],
    );
    assert.ok(Array.isArray(report.findings));
  });

  it('reports a 0-byte file as malformed instead of failing', () => {
    const dir = workspace({ 'empty.wasm': new Uint8Array(0) });
    const run = cli(dir, 'inspect', 'empty.wasm');
    assert.equal(run.code, 0, run.stderr);
    assert.match(run.stdout, /^empty\.wasm: core module, version 0, 0 B \(0 bytes\)\nmalformed: .+ at 0x0/);
  });

  it('exits 1 on a finding at warning or above, as check does', () => {
    const dir = workspace({ 'bad.wasm': Uint8Array.from([0x61, 0x62, 0x63]) });
    const inspect = cli(dir, 'inspect', 'bad.wasm');
    assert.match(inspect.stdout, /error\[wasm-malformed\]/);
    assert.equal(inspect.code, 1, inspect.stderr);
    assert.equal(cli(dir, 'check', 'bad.wasm').code, 1);
  });

  it('refuses a file it does not read with the same message and exit code as check', () => {
    const dir = workspace({ 'notes.txt': 'hello\n', 'module.bin': ADD_MODULE });
    for (const file of ['notes.txt', 'module.bin']) {
      const inspect = cli(dir, 'inspect', file);
      const check = cli(dir, 'check', file);
      assert.equal(inspect.code, 2, inspect.stdout);
      assert.equal(check.code, 2, check.stdout);
      assert.match(
        inspect.stderr,
        new RegExp(`^wasm-perf: error: not a file inspect reads: ${file.replace('.', '\\.')} \\(expected a \\.wasm binary\\)`),
      );
      assert.match(
        check.stderr,
        new RegExp(`^wasm-perf: error: not a file check reads: ${file.replace('.', '\\.')} \\(expected a \\.wasm binary`),
      );
    }
  });

  it('rejects a missing file or a directory with exit 2', () => {
    const dir = workspace({ 'sub/x.txt': '' });
    assert.match(cli(dir, 'inspect', 'nope.wasm').stderr, /no such file: nope\.wasm/);
    assert.equal(cli(dir, 'inspect', 'sub').code, 2);
  });
});
