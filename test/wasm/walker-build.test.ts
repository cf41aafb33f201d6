/**
 * The committed instruction walker (src/core/wasm/walker/walk.wasm) must be the build of the
 * current walk.c: scripts/build-walker.sh records the hashes of walk.c, of itself and of the
 * binary in walk.build.json. The hash checks need no compiler, so a stale binary fails CI;
 * where the recorded clang is installed, the walker is also rebuilt and compared byte for byte.
 */
import assert from 'node:assert/strict';
import { execFileSync, spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, it } from 'node:test';

const WALKER = join(process.cwd(), 'src/core/wasm/walker');
const BUILD_SCRIPT = join(process.cwd(), 'scripts/build-walker.sh');

interface BuildRecord {
  readonly source: string;
  readonly sourceSha256: string;
  readonly buildScriptSha256: string;
  readonly wasmSha256: string;
  readonly compiler: string;
  readonly flags: readonly string[];
}

function sha256(path: string): string {
  return createHash('sha256').update(readFileSync(path)).digest('hex');
}

const record = JSON.parse(readFileSync(join(WALKER, 'walk.build.json'), 'utf8')) as BuildRecord;
const STALE = 'rebuild it with scripts/build-walker.sh and commit walk.wasm and walk.build.json';

/** The installed clang's version line, or why the rebuild cannot run here. */
function installedClang(): { version: string } | { missing: string } {
  const clang = spawnSync('clang', ['--version'], { encoding: 'utf8' });
  const linker = spawnSync('wasm-ld', ['--version'], { encoding: 'utf8' });
  if (clang.status !== 0 || linker.status !== 0) return { missing: 'clang or wasm-ld is not installed: only the hashes are checked' };
  const version = clang.stdout.split('\n')[0]!.trim();
  if (version !== record.compiler)
    return { missing: `clang here is "${version}", the walker was built with "${record.compiler}": only the hashes are checked` };
  return { version };
}
const clang = installedClang();

describe('wasm instruction walker build', () => {
  it('walk.wasm was built from the current walk.c and build script', () => {
    assert.equal(record.source, 'walk.c');
    assert.equal(sha256(join(WALKER, 'walk.c')), record.sourceSha256, `walk.c changed since walk.wasm was built: ${STALE}`);
    assert.equal(sha256(BUILD_SCRIPT), record.buildScriptSha256, `the build script changed since walk.wasm was built: ${STALE}`);
    assert.equal(sha256(join(WALKER, 'walk.wasm')), record.wasmSha256, `walk.wasm is not the binary the build recorded: ${STALE}`);
    assert.ok(record.flags.includes('--target=wasm32') && record.flags.includes('-O3'), `unexpected flags ${record.flags.join(' ')}`);
  });

  it('rebuilding walk.c gives the committed bytes', { skip: 'missing' in clang ? clang.missing : false }, () => {
    const out = mkdtempSync(join(tmpdir(), 'walker-build-'));
    try {
      execFileSync(BUILD_SCRIPT, [out], { stdio: 'pipe' });
      assert.ok(
        readFileSync(join(out, 'walk.wasm')).equals(readFileSync(join(WALKER, 'walk.wasm'))),
        `a fresh build differs from the committed walk.wasm: ${STALE}`,
      );
      const rebuilt = JSON.parse(readFileSync(join(out, 'walk.build.json'), 'utf8')) as BuildRecord;
      assert.deepEqual(rebuilt, record);
    } finally {
      rmSync(out, { recursive: true, force: true });
    }
  });
});
