/**
 * `--fix` rounds and atomic writes, driven by small test rules over shell scripts so the
 * behaviour is pinned independently of the real rules.
 */
import assert from 'node:assert/strict';
import { chmodSync, existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, symlinkSync, writeFileSync } from 'node:fs';
import { promises as fs } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import { createFileExclusively, replaceFileAtomically, WriteRefusedError, type WriterFs } from '../../src/cli/atomic-write';
import { fixUntilStable } from '../../src/cli/fix-files';
import { Analyzer } from '../../src/core/engine';
import type { Rule } from '../../src/core/rules/rule';
import { createNodeHost, toEnginePath } from '../../src/node/node-host';
import { testAssets } from '../helpers/hosts';

const temporary: string[] = [];
after(() => temporary.forEach((dir) => rmSync(dir, { recursive: true, force: true })));

function workspace(files: Record<string, string>): string {
  const dir = mkdtempSync(join(tmpdir(), 'wasm-perf-fix-'));
  temporary.push(dir);
  for (const [name, text] of Object.entries(files)) writeFileSync(join(dir, name), text);
  return dir;
}

/** `level=N` below 3 in a script: the fix raises it by one, so reaching 3 takes several rounds. */
const stepRule: Rule = {
  meta: {
    id: 'test-step',
    title: 'step',
    category: 'build',
    defaultSeverity: 'warning',
    summary: 'test',
    docs: 'test',
    sources: [],
    fix: 'none',
    measurable: false,
  },
  check(context) {
    for (const script of context.workspace.scripts) {
      for (const match of script.text.matchAll(/level=(\d)/g)) {
        const value = Number(match[1]);
        if (value >= 3) continue;
        const start = match.index + 'level='.length;
        context.report({
          message: `level ${value} is low`,
          location: { file: script.path, span: { start, end: start + 1 } },
          fixes: [
            {
              title: `Raise level to ${value + 1}`,
              preferred: true,
              applicability: 'safe',
              changes: [{ file: script.path, edits: [{ start, end: start + 1, newText: String(value + 1) }] }],
            },
          ],
        });
      }
    }
  },
};

/** Proposes creating `extra.mk` next to `build.sh` until a script of that name exists. */
const createRule: Rule = {
  meta: {
    id: 'test-create',
    title: 'create',
    category: 'build',
    defaultSeverity: 'warning',
    summary: 'test',
    docs: 'test',
    sources: [],
    fix: 'none',
    measurable: false,
  },
  check(context) {
    const build = context.workspace.scripts.find((s) => s.path.endsWith('/build.sh'));
    if (!build || context.workspace.scripts.some((s) => s.path.endsWith('/extra.mk'))) return;
    const target = build.path.replace(/build\.sh$/, 'extra.mk');
    context.report({
      message: 'extra.mk is missing',
      location: { file: build.path, span: { start: 0, end: 0 } },
      fixes: [
        {
          title: 'Create extra.mk',
          preferred: true,
          applicability: 'safe',
          changes: [{ file: target, create: true, edits: [{ start: 0, end: 0, newText: 'FLAGS = 1\n' }] }],
        },
      ],
    });
  },
};

function analyzer(rules: Rule[]): Analyzer {
  return new Analyzer(createNodeHost({ env: {} }), {}, testAssets(), rules);
}

describe('fixUntilStable', () => {
  it('repeats rounds until no fix changes anything, then a second run changes nothing', async () => {
    const dir = workspace({ 'build.sh': '#!/bin/sh\n# level=0 here\nexport level=1\n' });
    const outcome = await fixUntilStable(analyzer([stepRule]), [toEnginePath(dir)]);
    assert.equal(readFileSync(join(dir, 'build.sh'), 'utf8'), '#!/bin/sh\n# level=3 here\nexport level=3\n');
    assert.deepEqual(outcome.result.findings, []);
    assert.deepEqual(outcome.failed, []);
    assert.equal(outcome.unsettled, false);
    assert.equal(outcome.written.length, 3, 'three rounds each wrote build.sh once');
    assert.deepEqual(outcome.written[0]!.fixes, ['Raise level to 1', 'Raise level to 2']);

    const again = await fixUntilStable(analyzer([stepRule]), [toEnginePath(dir)]);
    assert.deepEqual(again.written, []);
    assert.equal(readFileSync(join(dir, 'build.sh'), 'utf8'), '#!/bin/sh\n# level=3 here\nexport level=3\n');
  });

  it('stops at the round limit and says fixes are still pending', async () => {
    const dir = workspace({ 'build.sh': 'level=0\n' });
    const outcome = await fixUntilStable(analyzer([stepRule]), [toEnginePath(dir)], { maxRounds: 2 });
    assert.equal(readFileSync(join(dir, 'build.sh'), 'utf8'), 'level=2\n');
    assert.equal(outcome.unsettled, true);
    assert.equal(outcome.result.findings.length, 1);
  });

  it('keeps the file mode and a UTF-8 byte order mark', async () => {
    const dir = workspace({ 'build.sh': '\ufefflevel=2\r\n' });
    chmodSync(join(dir, 'build.sh'), 0o751);
    await fixUntilStable(analyzer([stepRule]), [toEnginePath(dir)]);
    const bytes = readFileSync(join(dir, 'build.sh'));
    assert.deepEqual([...bytes.subarray(0, 3)], [0xef, 0xbb, 0xbf]);
    assert.equal(bytes.subarray(3).toString('utf8'), 'level=3\r\n');
    assert.equal(statSync(join(dir, 'build.sh')).mode & 0o7777, 0o751);
  });

  it('leaves a read-only file untouched, reports it once, and still fixes the other files', async () => {
    const dir = workspace({ 'build.sh': 'level=2\n', 'release.sh': 'level=2\n' });
    chmodSync(join(dir, 'build.sh'), 0o444);
    const outcome = await fixUntilStable(analyzer([stepRule]), [toEnginePath(dir)]);
    assert.equal(readFileSync(join(dir, 'build.sh'), 'utf8'), 'level=2\n');
    assert.equal(statSync(join(dir, 'build.sh')).mode & 0o777, 0o444);
    assert.equal(readFileSync(join(dir, 'release.sh'), 'utf8'), 'level=3\n');
    assert.deepEqual(outcome.failed, [{ file: toEnginePath(join(dir, 'build.sh')), message: 'file is read-only' }]);
    assert.equal(outcome.result.findings.length, 1, 'the unfixed finding is still reported');
    assert.deepEqual(readdirSync(dir).sort(), ['build.sh', 'release.sh'], 'no temporary file left behind');
  });

  it('creates a missing file (and its directory) once', async () => {
    const dir = workspace({ 'build.sh': 'echo\n' });
    const outcome = await fixUntilStable(analyzer([createRule]), [toEnginePath(dir)]);
    assert.equal(readFileSync(join(dir, 'extra.mk'), 'utf8'), 'FLAGS = 1\n');
    assert.deepEqual(
      outcome.written.map((w) => [w.created, w.fixes]),
      [[true, ['Create extra.mk']]],
    );
    assert.deepEqual(outcome.result.findings, []);
  });
});

describe('atomic writes', () => {
  it('never overwrites an existing file when creating one', async () => {
    const dir = workspace({ 'notes.txt': 'original\n' });
    await assert.rejects(
      createFileExclusively(join(dir, 'notes.txt'), 'new\n'),
      (error: unknown) => error instanceof WriteRefusedError && /already exists/.test(error.message),
    );
    assert.equal(readFileSync(join(dir, 'notes.txt'), 'utf8'), 'original\n');
    assert.deepEqual(readdirSync(dir), ['notes.txt']);
  });

  it('creates parent directories for a new file', async () => {
    const dir = workspace({});
    await createFileExclusively(join(dir, '.cargo', 'config.toml'), '[build]\n');
    assert.equal(readFileSync(join(dir, '.cargo', 'config.toml'), 'utf8'), '[build]\n');
  });

  it('leaves the original untouched and removes the temporary file when the rename fails', async () => {
    const dir = workspace({ 'Cargo.toml': 'opt-level = "s"\n' });
    const failingRename: WriterFs = {
      ...fs,
      rename: async () => {
        throw Object.assign(new Error('EIO: simulated failure'), { code: 'EIO' });
      },
    };
    await assert.rejects(
      replaceFileAtomically(join(dir, 'Cargo.toml'), 'opt-level = "s"\n', 'opt-level = 3\n', failingRename),
      /simulated failure/,
    );
    assert.equal(readFileSync(join(dir, 'Cargo.toml'), 'utf8'), 'opt-level = "s"\n');
    assert.deepEqual(readdirSync(dir), ['Cargo.toml']);
  });

  it('refuses to write a file that changed since it was analysed', async () => {
    const dir = workspace({ 'Cargo.toml': 'edited by the user\n' });
    await assert.rejects(replaceFileAtomically(join(dir, 'Cargo.toml'), 'what was analysed\n', 'fixed\n'), /changed on disk/);
    assert.equal(readFileSync(join(dir, 'Cargo.toml'), 'utf8'), 'edited by the user\n');
  });

  it('writes through a symlink and keeps the link', async () => {
    const dir = workspace({ 'real.toml': 'a\n' });
    symlinkSync(join(dir, 'real.toml'), join(dir, 'link.toml'));
    await replaceFileAtomically(join(dir, 'link.toml'), 'a\n', 'b\n');
    assert.equal(readFileSync(join(dir, 'real.toml'), 'utf8'), 'b\n');
    assert.ok(statSync(join(dir, 'link.toml')).isFile() && existsSync(join(dir, 'link.toml')));
    assert.equal((await fs.lstat(join(dir, 'link.toml'))).isSymbolicLink(), true);
  });
});
