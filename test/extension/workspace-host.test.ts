import '../helpers/vscode-stub';
import assert from 'node:assert/strict';
import { mkdtempSync, mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, beforeEach, describe, it } from 'node:test';
import * as vscode from 'vscode';
import { isMissing } from '../../src/core/host';
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
