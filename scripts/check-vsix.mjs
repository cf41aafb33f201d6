// Lists a packaged .vsix and checks it: the files the extension needs at run time are
// there, nothing that must not ship is (sources, tests, node_modules, source maps), and it
// is small. Usage: node scripts/check-vsix.mjs <file.vsix>
//
// A .vsix is a zip; the central directory at its end lists every entry, so no unzip tool
// or dependency is needed.
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';

const MAX_BYTES = 5 * 1024 * 1024;

/** Entry names and uncompressed sizes from the zip's central directory. */
function listZip(buffer) {
  const eocdSignature = 0x06054b50;
  let eocd = -1;
  // The end record sits in the last 22 bytes plus at most a 64 KiB comment.
  for (let i = buffer.length - 22; i >= Math.max(0, buffer.length - 22 - 0xffff); i--) {
    if (buffer.readUInt32LE(i) === eocdSignature) {
      eocd = i;
      break;
    }
  }
  if (eocd < 0) throw new Error('not a zip file (no end of central directory record)');
  const count = buffer.readUInt16LE(eocd + 10);
  let offset = buffer.readUInt32LE(eocd + 16);
  const entries = [];
  for (let n = 0; n < count; n++) {
    if (buffer.readUInt32LE(offset) !== 0x02014b50) throw new Error(`corrupt central directory at entry ${n}`);
    const size = buffer.readUInt32LE(offset + 24);
    const nameLength = buffer.readUInt16LE(offset + 28);
    const extraLength = buffer.readUInt16LE(offset + 30);
    const commentLength = buffer.readUInt16LE(offset + 32);
    const name = buffer.toString('utf8', offset + 46, offset + 46 + nameLength);
    entries.push({ name, size });
    offset += 46 + nameLength + extraLength + commentLength;
  }
  return entries;
}

function filesUnder(dir, predicate) {
  if (!existsSync(dir)) return [];
  return readdirSync(dir)
    .map((name) => join(dir, name))
    .filter((path) => statSync(path).isFile() && predicate(path));
}

function check(vsixPath) {
  const buffer = readFileSync(vsixPath);
  const entries = listZip(buffer);
  const names = new Set(entries.map((e) => e.name));
  const problems = [];

  console.log(`${vsixPath}: ${entries.length} entries, ${(buffer.length / 1024).toFixed(0)} KiB`);
  for (const entry of [...entries].sort((a, b) => a.name.localeCompare(b.name))) {
    console.log(`  ${String(entry.size).padStart(9)}  ${entry.name}`);
  }

  const required = [
    'extension/package.json',
    'extension/package.nls.json',
    'extension/package.nls.zh-cn.json',
    'extension/l10n/bundle.l10n.json',
    'extension/l10n/bundle.l10n.zh-cn.json',
    'extension/dist/extension.js',
    'extension/dist/engine.js',
    'extension/dist/analysis.js',
    'extension/dist/web-tree-sitter.wasm',
    'extension/dist/grammars/tree-sitter-cpp.wasm',
    'extension/dist/codicons/codicon.css',
    'extension/dist/codicons/codicon.ttf',
    'extension/media/icon.png',
    'extension/media/wasm-perf.bench.schema.json',
    'extension/media/wat.tmLanguage.json',
  ];
  for (const name of required) if (!names.has(name)) problems.push(`missing ${name}`);
  if (![...names].some((n) => /^extension\/readme\.md$/i.test(n))) problems.push('missing README.md');
  if (![...names].some((n) => /^extension\/license(\.md|\.txt)?$/i.test(n))) problems.push('missing LICENSE');
  if (![...names].some((n) => /^extension\/dist\/grammars\/[^/]+\.wasm$/.test(n))) problems.push('missing dist/grammars/*.wasm');

  // Everything the build put in dist/ that runs (bundles, grammars, webview scripts,
  // wabt.js, the CLI, benchmark children) must ship: the code loads it by path.
  const root = process.cwd();
  const built = [
    ...filesUnder(join(root, 'dist'), (p) => p.endsWith('.js') || p.endsWith('.wasm')),
    ...filesUnder(join(root, 'dist/grammars'), (p) => p.endsWith('.wasm')),
    ...filesUnder(join(root, 'dist/webview'), (p) => p.endsWith('.js') || p.endsWith('.css')),
  ];
  for (const path of built) {
    const name = `extension/${relative(root, path).split('\\').join('/')}`;
    if (!names.has(name)) problems.push(`built but not packaged: ${name}`);
  }

  for (const name of names) {
    if (/^extension\/(src|test|out|bench|node_modules|\.cache|test-output)\//.test(name)) problems.push(`must not ship: ${name}`);
    if (name.endsWith('.map')) problems.push(`must not ship a source map: ${name}`);
    if (name.endsWith('.ts') && !name.endsWith('.d.ts')) problems.push(`must not ship TypeScript sources: ${name}`);
  }
  if (buffer.length >= MAX_BYTES) problems.push(`the .vsix is ${(buffer.length / 1024 / 1024).toFixed(2)} MiB, over the 5 MiB limit`);

  if (problems.length > 0) {
    for (const problem of problems) console.error(`check-vsix: ${problem}`);
    process.exit(1);
  }
  console.log('check-vsix: ok');
}

const file = process.argv[2];
if (!file) {
  console.error('usage: node scripts/check-vsix.mjs <file.vsix>');
  process.exit(2);
}
check(file);
