import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { parseTomlDocument, type TomlDocument } from '../../src/core/cargo/toml-document';
import { applyEdits } from '../../src/core/fix/apply';

function parse(text: string): TomlDocument {
  const result = parseTomlDocument(text);
  if (!result.ok) throw new Error(`expected to parse: ${result.error.message}`);
  return result.document;
}

/** Key text and value text as written, for one path. */
function written(document: TomlDocument, path: string[]): [string, string] | undefined {
  const entry = document.get(path);
  if (!entry) return undefined;
  return [document.text.slice(entry.keySpan.start, entry.keySpan.end), document.text.slice(entry.valueSpan.start, entry.valueSpan.end)];
}

describe('TomlDocument spans', () => {
  const cases: { name: string; text: string; path: string[]; key: string; value: string }[] = [
    {
      name: 'standard table',
      text: '[profile.release]\nopt-level = "s" # small\n',
      path: ['profile', 'release', 'opt-level'],
      key: 'opt-level',
      value: '"s"',
    },
    {
      name: 'dotted key at top level',
      text: 'profile.release.opt-level = "s"\n',
      path: ['profile', 'release', 'opt-level'],
      key: 'profile.release.opt-level',
      value: '"s"',
    },
    {
      name: 'dotted key inside a table',
      text: '[profile]\nrelease.opt-level = "z"\n',
      path: ['profile', 'release', 'opt-level'],
      key: 'release.opt-level',
      value: '"z"',
    },
    {
      name: 'inline table',
      text: '[profile]\nrelease = { opt-level = "s", lto = true }\n',
      path: ['profile', 'release', 'lto'],
      key: 'lto',
      value: 'true',
    },
    {
      name: 'nested inline tables',
      text: 'profile = { release = { opt-level = "s" } }\n',
      path: ['profile', 'release', 'opt-level'],
      key: 'opt-level',
      value: '"s"',
    },
    {
      name: 'quoted keys and literal string',
      text: '[ profile . "release" ]\n"opt-level" = \'s\'\n',
      path: ['profile', 'release', 'opt-level'],
      key: '"opt-level"',
      value: "'s'",
    },
    {
      name: 'cfg target key',
      text: '[target.\'cfg(target_arch = "wasm32")\']\nrustflags = ["-C", "target-feature=+simd128"]\n',
      path: ['target', 'cfg(target_arch = "wasm32")', 'rustflags'],
      key: 'rustflags',
      value: '["-C", "target-feature=+simd128"]',
    },
    {
      name: 'triple with dashes',
      text: '[target.wasm32-unknown-unknown]\nrustflags = "-C target-feature=+simd128"\n',
      path: ['target', 'wasm32-unknown-unknown', 'rustflags'],
      key: 'rustflags',
      value: '"-C target-feature=+simd128"',
    },
    {
      name: 'multi-line array',
      text: '[build]\nrustflags = [\n  "-D",\n  "warnings",\n]\n',
      path: ['build', 'rustflags'],
      key: 'rustflags',
      value: '[\n  "-D",\n  "warnings",\n]',
    },
    { name: 'array of tables', text: '[[bin]]\nname = "a"\n[[bin]]\nname = "b"\n', path: ['bin', '1', 'name'], key: 'name', value: '"b"' },
    { name: 'CRLF', text: '[package]\r\nname = "x"\r\n', path: ['package', 'name'], key: 'name', value: '"x"' },
    { name: 'after multi-byte text', text: '# café ☕\n[package]\nname = "é"\n', path: ['package', 'name'], key: 'name', value: '"é"' },
  ];
  for (const c of cases) {
    it(c.name, () => assert.deepEqual(written(parse(c.text), c.path), [c.key, c.value]));
  }

  it('keeps package override tables apart from the profile', () => {
    const document = parse('[profile.release.package.foo]\nopt-level = "s"\n');
    assert.equal(document.get(['profile', 'release', 'opt-level']), undefined);
    assert.equal(document.value(['profile', 'release', 'package', 'foo', 'opt-level']), 's');
  });

  it('gives plain values of tables and lists child keys in order', () => {
    const document = parse('[profile.release]\nlto = true\n[profile.fast]\ninherits = "release"\nopt-level = 3\n');
    assert.deepEqual(document.childKeys(['profile']), ['release', 'fast']);
    assert.deepEqual(document.value(['profile', 'fast']), { inherits: 'release', 'opt-level': 3 });
    assert.equal(document.table(['profile', 'release'])?.kind, 'header');
  });

  it('reports the offset of a syntax error', () => {
    const text = '[package]\nname = "x"\nversion = 0.1.0\nedition = "2021"\n';
    const result = parseTomlDocument(text);
    assert.equal(result.ok, false);
    if (!result.ok) assert.equal(text.slice(0, result.error.offset).split('\n').length, 3);
  });

  it('rejects duplicate keys', () => {
    assert.equal(parseTomlDocument('a = 1\na = 2\n').ok, false);
  });
});

describe('TomlDocument.insertKey', () => {
  const insert = (text: string, table: string[], key: string, value: string) => {
    const document = parse(text);
    const edit = document.insertKey(table, key, value);
    if (!edit) return undefined;
    const out = applyEdits(text, [edit]);
    assert.ok(parseTomlDocument(out).ok, `result parses:\n${out}`);
    return out;
  };

  it('adds after the last key of a header table, keeping indentation and comments', () => {
    assert.equal(
      insert('[profile.release]\n  opt-level = 3 # fast\n\n[dependencies]\n', ['profile', 'release'], 'lto', 'true'),
      '[profile.release]\n  opt-level = 3 # fast\n  lto = true\n\n[dependencies]\n',
    );
  });

  it('adds under an empty header', () => {
    assert.equal(insert('[profile.release]\n[x]\n', ['profile', 'release'], 'lto', 'true'), '[profile.release]\nlto = true\n[x]\n');
  });

  it('adds to an inline table', () => {
    assert.equal(
      insert('profile = { release = { opt-level = 3 } }\n', ['profile', 'release'], 'lto', 'true'),
      'profile = { release = { opt-level = 3, lto = true } }\n',
    );
    assert.equal(insert('[profile]\nrelease = {}\n', ['profile', 'release'], 'lto', 'true'), '[profile]\nrelease = { lto = true }\n');
  });

  it('adds a dotted key next to dotted keys', () => {
    assert.equal(
      insert('profile.release.opt-level = 3\nname = "x"\n', ['profile', 'release'], 'lto', 'true'),
      'profile.release.opt-level = 3\nprofile.release.lto = true\nname = "x"\n',
    );
    assert.equal(
      insert('[profile]\nrelease.opt-level = 3\n', ['profile', 'release'], 'lto', 'true'),
      '[profile]\nrelease.opt-level = 3\nrelease.lto = true\n',
    );
  });

  it("appends a new table at the end, with the file's line endings", () => {
    assert.equal(
      insert('[package]\r\nname = "x"\r\n', ['profile', 'release'], 'lto', 'true'),
      '[package]\r\nname = "x"\r\n\r\n[profile.release]\r\nlto = true\r\n',
    );
    assert.equal(
      insert('[package]\nname = "x"', ['target', 'wasm32-wasip1'], 'rustflags', '[]'),
      '[package]\nname = "x"\n\n[target.wasm32-wasip1]\nrustflags = []\n',
    );
    assert.equal(insert('', ['target', 'cfg(unix)'], 'rustflags', '[]'), '[target."cfg(unix)"]\nrustflags = []\n');
  });

  it('refuses when the key exists or an inline parent owns the path', () => {
    assert.equal(insert('[profile.release]\nlto = false\n', ['profile', 'release'], 'lto', 'true'), undefined);
    assert.equal(insert('profile = { dev = { opt-level = 1 } }\n', ['profile', 'release'], 'lto', 'true'), undefined);
  });
});
