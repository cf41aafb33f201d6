import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { CrateInfo, DependencyInfo } from '../../src/core/cargo/model';
import {
  bindingVersions,
  compareVersions,
  describeVersions,
  goModulePins,
  parseVersion,
  pythonPins,
  versionBelow,
} from '../../src/core/hostcode/versions';
import type { WorkspaceModel } from '../../src/core/workspace/model';

function workspaceWith(
  requirement: string | undefined,
  locked: string[],
  pins = goModulePins('/w/go.mod', 'require github.com/tetratelabs/wazero v1.7.3\n'),
): WorkspaceModel {
  const dependency: DependencyInfo = {
    name: 'wasmi',
    requirement,
    features: [],
    defaultFeatures: true,
    kind: 'normal',
    manifestPath: '/w/host/Cargo.toml',
    span: { start: 40, end: 45 },
  };
  const crate = {
    name: 'host',
    dir: '/w/host',
    manifestPath: '/w/host/Cargo.toml',
    dependencies: new Map([['wasmi', dependency]]),
  } as unknown as CrateInfo;
  return {
    cargo: { crates: [crate], lockedVersions: () => locked },
    crateCode: new Map(),
    hostCode: { files: [], pins },
  } as unknown as WorkspaceModel;
}

describe('binding versions', () => {
  it('orders releases and pre-releases like semver', () => {
    const order = [
      '0.31.2',
      '0.32.0-beta.3',
      '0.32.0-beta.8',
      '0.32.0-beta.9',
      '0.32.0-beta.10',
      '0.32.0',
      '0.48.0',
      'v1.12.0',
      '12.0.2',
      '13.0.0',
      '48.0.0',
    ];
    for (let i = 1; i < order.length; i++) {
      assert.ok(compareVersions(parseVersion(order[i - 1]!)!, parseVersion(order[i]!)!) < 0, `${order[i - 1]} < ${order[i]}`);
    }
    assert.equal(versionBelow('v27.0.0', 'v28.0.0'), true);
    assert.equal(versionBelow('13.0.0', '13.0.0'), false);
    assert.equal(versionBelow('not a version', '13.0.0'), false);
    assert.deepEqual(parseVersion('45'), { major: 45, minor: 0, patch: 0, pre: '' });
  });

  it('reads go.mod require lines and blocks, ignoring comments and other modules', () => {
    const text = [
      'module example.com/x',
      '',
      'require github.com/tetratelabs/wazero v1.7.3 // pinned',
      '',
      'require (',
      '\tgithub.com/bytecodealliance/wasmtime-go/v48 v48.0.0',
      '\tgolang.org/x/sys v0.20.0 // indirect',
      '\t// github.com/tetratelabs/wazero v9.9.9',
      ')',
      'replace github.com/tetratelabs/wazero => ../wazero',
    ].join('\n');
    const pins = goModulePins('/w/go.mod', text);
    assert.deepEqual(
      pins.map((p) => [p.name, p.version, text.slice(p.span.start, p.span.end)]),
      [
        ['github.com/tetratelabs/wazero', 'v1.7.3', 'v1.7.3'],
        ['github.com/bytecodealliance/wasmtime-go', 'v48.0.0', 'v48.0.0'],
      ],
    );
  });

  it('reads wasmtime pins from requirements files and pyproject.toml (PEP 508 and Poetry)', () => {
    const requirements = [
      '# wasmtime==1.0.0 is a comment',
      'wasmtime[extra] == 45.0.1 ; python_version >= "3.9"',
      'wasmtime-tools==9.0',
      'requests>=2',
    ].join('\n');
    const pins = pythonPins('/w/requirements.txt', requirements);
    assert.deepEqual(
      pins.map((p) => [p.version, requirements.slice(p.span.start, p.span.end)]),
      [['45.0.1', '45.0.1']],
    );

    const pyproject = [
      '[project]',
      'dependencies = [',
      '  "wasmtime>=44.0.0,<45",',
      ']',
      '[tool.poetry.dependencies]',
      'wasmtime = "^46.0"',
      'other = { version = "1" }',
    ].join('\n');
    assert.deepEqual(
      pythonPins('/w/pyproject.toml', pyproject).map((p) => p.version),
      ['44.0.0', '46.0'],
    );
    assert.deepEqual(pythonPins('/w/requirements.txt', 'wasmtime<50\n'), [], 'an upper bound alone is no version');
  });

  it('prefers Cargo.lock, falls back to a caret or exact requirement, and finds the nearest go.mod', () => {
    assert.equal(
      describeVersions(bindingVersions(workspaceWith('0.47', ['0.48.1']), '/w/host/src/lib.rs', 'rust', 'wasmi')!),
      '0.48.1, locked in Cargo.lock',
    );
    const required = bindingVersions(workspaceWith('^0.47', []), '/w/host/src/lib.rs', 'rust', 'wasmi')!;
    assert.deepEqual(
      [required.versions, required.how, required.source],
      [['0.47'], 'required as "^0.47" in Cargo.toml', '/w/host/Cargo.toml'],
    );
    assert.equal(bindingVersions(workspaceWith('>=0.40', []), '/w/host/src/lib.rs', 'rust', 'wasmi'), undefined, 'a range pins nothing');
    assert.equal(bindingVersions(workspaceWith('0.47', []), '/elsewhere/lib.rs', 'rust', 'wasmi'), undefined);
    const go = bindingVersions(workspaceWith(undefined, []), '/w/cmd/main.go', 'go', 'wazero')!;
    assert.equal(describeVersions(go), 'v1.7.3, required in go.mod');
    assert.equal(bindingVersions(workspaceWith(undefined, []), '/w/x.c', 'c', 'wasmtime'), undefined);
  });
});
