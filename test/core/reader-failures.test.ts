/** How the reader words a failed read, whichever bundle's HostError class the host threw. */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { Host } from '../../src/core/host';
import { FileReader } from '../../src/core/workspace/reader';

/** A HostError as another bundle's copy of the class makes it: the same shape, another class. */
class ForeignHostError extends Error {
  constructor(
    message: string,
    readonly code: string,
  ) {
    super(message);
    this.name = 'HostError';
  }
}

function hostThrowing(error: unknown): Host {
  return {
    readFile: () => Promise.reject(error),
    stat: () => Promise.resolve({ kind: 'file', size: 10 }),
    readDirectory: () => Promise.resolve([]),
    realPath: (path) => Promise.resolve(path),
    env: {},
    platform: 'linux',
  };
}

async function failureOf(error: unknown): Promise<{ kind: string; message: string }> {
  const result = await new FileReader(hostThrowing(error), 1024).readText('/w/Cargo.toml');
  assert.equal(result.ok, false);
  return result.ok ? { kind: '', message: '' } : result.failure;
}

describe('read failures', () => {
  it('calls a file missing when another bundle’s HostError says ENOENT or ENOTDIR', async () => {
    assert.deepEqual(await failureOf(new ForeignHostError('gone', 'ENOENT')), { kind: 'missing', message: 'file not found' });
    assert.deepEqual(await failureOf(new ForeignHostError('not a dir', 'ENOTDIR')), { kind: 'missing', message: 'file not found' });
  });

  it('says permission denied for EACCES, and passes any other error’s message on', async () => {
    assert.deepEqual(await failureOf(new ForeignHostError('no', 'EACCES')), { kind: 'unreadable', message: 'permission denied' });
    assert.deepEqual(await failureOf(new Error('disk on fire')), { kind: 'unreadable', message: 'disk on fire' });
    // An error named like a HostError but without a code is not one.
    const codeless = Object.assign(new Error('odd'), { name: 'HostError' });
    assert.deepEqual(await failureOf(codeless), { kind: 'unreadable', message: 'odd' });
  });
});
