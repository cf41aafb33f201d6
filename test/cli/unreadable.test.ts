/**
 * A directory the user may not read: the check reports it on stderr and analyses the rest.
 * Tests often run as root, where `chmod 000` does not deny reads, so the denial comes from a
 * host that refuses the directory the way the OS would (and from chmod when not root).
 */
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { chmodSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import { runCheckCommand } from '../../src/cli/check-command';
import type { CliIo } from '../../src/cli/io';
import { HostError, type Host } from '../../src/core/host';
import { createNodeHost, toEnginePath } from '../../src/node/node-host';

const MANIFEST = '[package]\nname = "demo"\nversion = "0.1.0"\n\n[lib]\ncrate-type = ["cdylib"]\n\n[profile.release]\nopt-level = "z"\n';
const dir = mkdtempSync(join(tmpdir(), 'wasm-perf-unreadable-'));
after(() => {
  chmodSync(join(dir, 'secret'), 0o755);
  rmSync(dir, { recursive: true, force: true });
});
writeFileSync(join(dir, 'Cargo.toml'), MANIFEST);
mkdirSync(join(dir, '.cargo'));
writeFileSync(join(dir, '.cargo/config.toml'), '[build]\ntarget = "wasm32-unknown-unknown"\n');
mkdirSync(join(dir, 'secret'));
writeFileSync(join(dir, 'secret/Cargo.toml'), MANIFEST);

function capture(cwd: string): CliIo & { out: string[]; err: string[] } {
  const out: string[] = [];
  const err: string[] = [];
  return { out, err, stdout: (t) => out.push(t), stderr: (t) => err.push(t), cwd, isTty: false, stderrIsTty: false, color: false };
}

/** The node host, except that `denied` cannot be listed (EACCES), as after `chmod 000` for a normal user. */
function denyingHost(denied: string): Host {
  const base = createNodeHost({ env: {} });
  return {
    ...base,
    readDirectory: async (path) => {
      if (path === denied) throw new HostError(`EACCES: permission denied, scandir '${path}'`, 'EACCES');
      return base.readDirectory(path);
    },
  };
}

describe('an unreadable directory', () => {
  it('becomes a one-line notice on stderr while the rest is analysed', async () => {
    const secret = toEnginePath(join(dir, 'secret'));
    const io = capture(dir);
    const code = await runCheckCommand(['--rule', 'release-codegen-units=off', '--rule', 'release-lto=warning'], io, denyingHost(secret));
    assert.equal(code, 1, io.err.join(''));
    assert.deepEqual(io.err, ["wasm-perf: notice: secret: cannot read directory: EACCES: permission denied, scandir '" + secret + "'\n"]);
    const stdout = io.out.join('');
    assert.match(stdout, /^Cargo\.toml:8:1: warning\[release-lto\]/m);
    assert.ok(!stdout.includes('secret/Cargo.toml'), 'nothing inside the unreadable directory was analysed');
  });

  it('is reported by the real CLI when the OS denies access (non-root runs)', (t) => {
    chmodSync(join(dir, 'secret'), 0o000);
    const isRoot = process.getuid?.() === 0;
    const run = spawnSync(process.execPath, [join(process.cwd(), 'dist/cli.js'), 'check', '--rule', 'release-lto=warning'], {
      cwd: dir,
      env: { PATH: process.env.PATH ?? '', HOME: dir },
      encoding: 'utf8',
    });
    chmodSync(join(dir, 'secret'), 0o755);
    assert.equal(run.status, 1, run.stderr);
    assert.match(run.stdout, /warning\[release-lto\]/);
    if (isRoot) {
      // Root reads through chmod 000: the secret crate is analysed like any other (the stub test above covers denial).
      t.diagnostic('running as root: chmod 000 does not deny reads');
      assert.match(run.stdout, /^secret\/Cargo\.toml:8:1: warning\[release-lto\]/m);
    } else {
      assert.match(run.stderr, /^wasm-perf: notice: secret: cannot read directory: /m);
    }
  });
});
