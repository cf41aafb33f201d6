import assert from 'node:assert/strict';
import { posix } from 'node:path';
import { describe, it } from 'node:test';
import { join, normalize } from '../../src/core/text/paths';

/** Node's POSIX normalization, which agrees with ours on absolute paths once a trailing '/' is dropped. */
function reference(path: string): string {
  const normalized = posix.normalize(path);
  return normalized.length > 1 && normalized.endsWith('/') ? normalized.slice(0, -1) : normalized;
}

const PATHS = [
  '/',
  '/a',
  '/a/b',
  '/a/b/',
  '//a',
  '/a//b',
  '/a/./b',
  '/a/../b',
  '/a/.',
  '/a/..',
  '/.',
  '/..',
  '/../a',
  '/a/.cargo',
  '/a/..b',
  '/a/b..',
  '/a/.b/c',
  '/a/b/c/../../d',
  '/a/b/../../..',
];

describe('normalize and join', () => {
  it('normalize agrees with node on normalized and unnormalized absolute paths', () => {
    for (const path of PATHS) assert.equal(normalize(path), reference(path), path);
  });

  it('normalize keeps relative paths relative', () => {
    assert.equal(normalize('a/./b/'), 'a/b');
    assert.equal(normalize('../a/../b'), '../b');
    assert.equal(normalize('./'), '');
  });

  it('join of two parts agrees with node on the joined text', () => {
    const names = ['b', '.cargo', 'config.toml', '.', '..', '', 'c/d', '../e', '..b', '/abs'];
    for (const base of PATHS) {
      for (const name of names) {
        const expected = reference([base, name].filter((p) => p.length > 0).join('/'));
        assert.equal(join(base, name), expected, `${JSON.stringify(base)} + ${JSON.stringify(name)}`);
      }
    }
  });

  it('join of more parts still normalizes', () => {
    assert.equal(join('/a', 'b', '../c'), '/a/c');
    assert.equal(join('/a/', '.cargo', 'config'), '/a/.cargo/config');
  });
});
