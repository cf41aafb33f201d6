import '../helpers/vscode-stub';
import assert from 'node:assert/strict';
import { mkdtempSync, mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, beforeEach, describe, it } from 'node:test';
import * as vscode from 'vscode';
import { HostError, isMissing } from '../../src/core/host';
import { toEnginePath } from '../../src/node/node-host';
import { pathMapperFor } from '../../src/extension/paths';
import { createBaseHost, createOverlayHost, openDocumentsOverlay } from '../../src/extension/workspace-host';
import { FakeTextDocument, openDocument, resetStub } from '../helpers/vscode-stub';

const dir = mkdtempSync(join(tmpdir(), 'wasm-perf-host-'));
const root = toEnginePath(dir);
mkdirSync(join(dir, 'src'));
writeFileSync(join(dir, 'Cargo.toml'), '[package]\nname = "on-disk"\n');
writeFileSync(join(dir, 'src/lib.rs'), 'pub fn f() {}\n');
after(() => rmSync(dir, { recursive: true, force: true }));

describe('the extension host over disk plus open editors', () => {
  beforeEach(resetStub);
  const mapper = pathMapperFor(vscode.Uri.file(dir));
  const decode = (bytes: Uint8Array) => new TextDecoder().decode(bytes);

  it('reads unsaved editor text instead of the disk, with a matching size, and records the version read', async () => {
    const host = createOverlayHost(createBaseHost(mapper, {}), openDocumentsOverlay(mapper));
    const document = new FakeTextDocument(vscode.Uri.file(join(dir, 'Cargo.toml')), '[package]\nname = "ünsaved"\n');
    openDocument(document);
    document.setText('[package]\nname = "ünsaved"\n');
    assert.equal(decode(await host.readFile(`${root}/Cargo.toml`)), '[package]\nname = "ünsaved"\n');
    assert.equal((await host.stat(`${root}/Cargo.toml`)).size, new TextEncoder().encode('[package]\nname = "ünsaved"\n').length);
    assert.equal(decode(await host.readFile(`${root}/src/lib.rs`)), 'pub fn f() {}\n');
    assert.deepEqual([...host.takeReadVersions()], [[`${root}/Cargo.toml`, 2]]);
    assert.deepEqual([...host.takeReadVersions()], [], 'taking the versions starts a new record');
  });

  it('passes directory listings, real paths and missing files through from the disk', async () => {
    const host = createOverlayHost(createBaseHost(mapper, { RUSTFLAGS: '-C x' }), openDocumentsOverlay(mapper));
    const names = (await host.readDirectory(root)).map((e) => `${e.name}:${e.kind}`).sort();
    assert.deepEqual(names, ['Cargo.toml:file', 'src:directory']);
    assert.equal(await host.realPath(`${root}/src`), `${root}/src`);
    assert.equal(host.env.RUSTFLAGS, '-C x');
    await assert.rejects(host.readFile(`${root}/missing.toml`), (error: unknown) => isMissing(error));
  });

  it('ignores documents of other schemes and closed documents', async () => {
    const host = createOverlayHost(createBaseHost(mapper, {}), openDocumentsOverlay(mapper));
    openDocument(new FakeTextDocument(vscode.Uri.file(join(dir, 'Cargo.toml')).with({ scheme: 'git' }), 'from git'));
    const closed = new FakeTextDocument(vscode.Uri.file(join(dir, 'src/lib.rs')), 'closed text');
    openDocument(closed);
    closed.isClosed = true;
    assert.equal(decode(await host.readFile(`${root}/Cargo.toml`)), '[package]\nname = "on-disk"\n');
    assert.equal(decode(await host.readFile(`${root}/src/lib.rs`)), 'pub fn f() {}\n');
  });
});

describe('the host over vscode.workspace.fs (non-file schemes)', () => {
  beforeEach(resetStub);
  // A scheme other than file: reads go through `vscode.workspace.fs` (here the stub's, over the same temp dir).
  const folder = vscode.Uri.file(dir).with({ scheme: 'remote-fs' });
  const mapper = pathMapperFor(folder);

  it('maps paths to URIs of the folder scheme and reads, stats and lists through workspace.fs', async () => {
    assert.equal(mapper.toPath(folder), dir);
    assert.equal(mapper.toUri(`${dir}/Cargo.toml`).scheme, 'remote-fs');
    const host = createBaseHost(mapper, {});
    assert.equal(new TextDecoder().decode(await host.readFile(`${dir}/Cargo.toml`)), '[package]\nname = "on-disk"\n');
    assert.equal((await host.stat(`${dir}/src`)).kind, 'directory');
    assert.deepEqual(await host.stat(`${dir}/Cargo.toml`), { kind: 'file', size: '[package]\nname = "on-disk"\n'.length });
    assert.deepEqual((await host.readDirectory(dir)).map((e) => `${e.name}:${e.kind}`).sort(), ['Cargo.toml:file', 'src:directory']);
    assert.equal(await host.realPath(`${dir}/src`), `${dir}/src`);
  });

  it("turns FileSystemErrors into the engine's HostErrors", async () => {
    const host = createBaseHost(mapper, {});
    await assert.rejects(host.readFile(`${dir}/missing.toml`), (error: unknown) => isMissing(error));
    await assert.rejects(host.realPath(`${dir}/missing`), (error: unknown) => isMissing(error));
    await assert.rejects(
      host.readDirectory(`${dir}/Cargo.toml`),
      (error: unknown) => error instanceof HostError && error.code === 'ENOTDIR',
    );
  });
});
