import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { findRustflagsAssignments } from '../../src/core/cargo/script-assignments';

const values = (path: string, text: string) =>
  findRustflagsAssignments(path, text).map((a) => [a.variable, text.slice(a.valueSpan.start, a.valueSpan.end), a.value]);

describe('RUSTFLAGS assignments in scripts', () => {
  it('reads YAML env values, quoted or not, and skips references', () => {
    const text =
      'env:\n  RUSTFLAGS: "-D warnings"\n  CARGO_ENCODED_RUSTFLAGS: -Dwarnings # note\nsteps:\n  - run: echo $RUSTFLAGS ${{ env.RUSTFLAGS }}\n';
    assert.deepEqual(values('/w/.github/workflows/ci.yml', text), [
      ['RUSTFLAGS', '"-D warnings"', '-D warnings'],
      ['CARGO_ENCODED_RUSTFLAGS', '-Dwarnings', '-Dwarnings'],
    ]);
  });

  it('reads make variables to the end of the line and recipe lines as shell words', () => {
    const text = 'export RUSTFLAGS := -C opt-level=3 # c\nbuild:\n\tRUSTFLAGS="-D warnings" cargo build\n';
    assert.deepEqual(values('/w/Makefile', text), [
      ['RUSTFLAGS', '-C opt-level=3', '-C opt-level=3'],
      ['RUSTFLAGS', '"-D warnings"', '-D warnings'],
    ]);
  });

  it('reads shell assignments, package.json scripts and Dockerfile ENV', () => {
    assert.deepEqual(values('/w/build.sh', 'RUSTFLAGS=-Dwarnings cargo build\n# RUSTFLAGS=ignored\n'), [
      ['RUSTFLAGS', '-Dwarnings', '-Dwarnings'],
    ]);
    assert.deepEqual(values('/w/package.json', '{"scripts":{"b":"RUSTFLAGS=\\"-D warnings\\" cargo build"}}'), [
      ['RUSTFLAGS', '\\"-D warnings\\"', '-D warnings'],
    ]);
    assert.deepEqual(values('/w/Dockerfile', 'ENV RUSTFLAGS="-C target-cpu=mvp"\n'), [
      ['RUSTFLAGS', '"-C target-cpu=mvp"', '-C target-cpu=mvp'],
    ]);
  });

  it('offers an append point inside quotes, or a wrap for bare words', () => {
    const [quoted] = findRustflagsAssignments('/w/build.sh', 'RUSTFLAGS="-D warnings" cargo build');
    assert.deepEqual(quoted?.append, { offset: 22, separator: ' ' });
    const [bare] = findRustflagsAssignments('/w/build.sh', 'RUSTFLAGS=-Dwarnings cargo build');
    assert.deepEqual(bare?.append, { wrap: '"' });
  });
});

describe('wasm builds in scripts', () => {
  it('resolves the crate a command builds from the repository root, cd, working-directory, -p and --manifest-path', async () => {
    const { findScriptBuilds } = await import('../../src/core/cargo/script-builds');
    const workflow = [
      'jobs:',
      '  wasm:',
      '    steps:',
      '      - name: guest',
      '        working-directory: crates/guest',
      '        run: cargo build --release --target wasm32-wasip1',
      '      - run: cargo build -p codec --target=wasm32-unknown-unknown',
      '      - run: cargo test',
    ].join('\n');
    const builds = findScriptBuilds('/r/.github/workflows/ci.yml', workflow);
    assert.deepEqual(
      builds.map((b) => [b.target, b.dir, b.packageName ?? '']),
      [
        ['wasm32-wasip1', '/r/crates/guest', ''],
        ['wasm32-unknown-unknown', '/r', 'codec'],
      ],
    );
    const gitlab = findScriptBuilds('/r/.gitlab-ci.yml', 'build:\n  script:\n    - cd plugin && cargo build --target wasm32-wasip2\n');
    assert.deepEqual(
      gitlab.map((b) => b.dir),
      ['/r/plugin'],
    );
    const make = findScriptBuilds('/r/tools/Makefile', 'all:\n\tcargo build --manifest-path ../app/Cargo.toml --target wasm32-wasip1\n');
    assert.deepEqual(
      make.map((b) => b.dir),
      ['/r/app'],
    );
  });
});
