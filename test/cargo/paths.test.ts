import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { join, normalize } from '../../src/core/text/paths';

/** The general algorithm, without the fast path for inputs that are already normalized. */
function slowNormalize(path: string): string {
  const absolute = path.startsWith('/');
  const out: string[] = [];
  for (const part of path.split('/')) {
    if (part === '' || part === '.') continue;
    if (part === '..') {
      if (out.length > 0 && out[out.length - 1] !== '..') out.pop();
      else if (!absolute) out.push('..');
      continue;
    }
    out.push(part);
  }
  return (absolute ? '/' : '') + out.join('/');
}

const PATHS = [
  '/', '/a', '/a/b', '/a/b/', '//a', '/a//b', '/a/./b', '/a/../b', '/a/.', '/a/..', '/.', '/..', '/../a',
  '/a/.cargo', '/a/..b', '/a/b..', '/a/.b/c', 'a', 'a/b', './a', '../a', '', '.', '/a/b/c/../../d',
];

describe('normalize and join', () => {
  it('normalize agrees with the general algorithm on normalized and unnormalized paths', () => {
    for (const path of PATHS) assert.equal(normalize(path), slowNormalize(path), path);
  });

  it('join of two parts agrees with normalizing the joined text', () => {
    const names = ['b', '.cargo', 'config.toml', '.', '..', '', 'c/d', '../e', '..b', '/abs'];
    for (const base of PATHS) {
      for (const name of names) {
        const expected = slowNormalize([base, name].filter((p) => p.length > 0).join('/'));
        assert.equal(join(base, name), expected, `${JSON.stringify(base)} + ${JSON.stringify(name)}`);
      }
    }
  });

  it('join of more parts still normalizes', () => {
    assert.equal(join('/a', 'b', '../c'), '/a/c');
    assert.equal(join('/a/', '.cargo', 'config'), '/a/.cargo/config');
  });
});
