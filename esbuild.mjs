// One build script for every target. Type-checking is a separate step (`npm run typecheck`).
//
//   extension  src/extension/extension.ts -> dist/extension.js   (node, cjs, `vscode` external)
//   cli        src/cli/main.ts            -> dist/cli.js         (node, cjs, shebang; the dispatcher only)
//   commands   src/cli/<name>-command.ts  -> dist/cli-<name>.js  (node, cjs; required by dist/cli.js when run)
//   workers    src/**/*.worker.ts         -> dist/<name>.js      (node child processes / worker threads;
//                                                                  the validation thread requires dist/wabt-run.js on demand)
//   webview    src/webview/*.main.ts      -> dist/webview/<name>.js (browser, iife)
//   tests      test/**/*.test.ts          -> out/test/...        (node:test, `vscode` stubbed at run time)
//   e2e        test/e2e/*.e2e.ts          -> out/e2e/...         (node:test driving code-server; packages external)
//   benches    bench/*.bench.ts           -> out/bench/...
//
// Flags: --production (minify, no source maps), --watch.
import * as esbuild from 'esbuild';
import { cpSync, existsSync, mkdirSync, readdirSync, statSync } from 'node:fs';
import { dirname, join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = dirname(fileURLToPath(import.meta.url));
const production = process.argv.includes('--production');
const watch = process.argv.includes('--watch');

function walk(dir, predicate, out = []) {
  if (!existsSync(dir)) return out;
  for (const name of readdirSync(dir)) {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) walk(path, predicate, out);
    else if (predicate(path)) out.push(path);
  }
  return out;
}

const node = {
  bundle: true,
  platform: 'node',
  target: 'node20',
  format: 'cjs',
  sourcemap: production ? false : 'linked',
  sourcesContent: false,
  minify: production,
  logLevel: 'warning',
  // web-tree-sitter probes for these Node built-ins behind environment checks.
  external: ['vscode'],
  // src/core/wasm/walker/walk.wasm is embedded as bytes (the instruction walker needs no file I/O);
  // each rule's documentation (src/core/rules/<id>.md) as text.
  loader: { '.wasm': 'binary', '.md': 'text' },
};

/** Grammar and runtime .wasm files that the engine loads at run time from dist/. */
function copyAssets() {
  const assets = [
    ['node_modules/web-tree-sitter/web-tree-sitter.wasm', 'dist/web-tree-sitter.wasm'],
    ['node_modules/@vscode/tree-sitter-wasm/wasm/tree-sitter-rust.wasm', 'dist/grammars/tree-sitter-rust.wasm'],
    ['node_modules/@vscode/tree-sitter-wasm/wasm/tree-sitter-go.wasm', 'dist/grammars/tree-sitter-go.wasm'],
    ['node_modules/@vscode/tree-sitter-wasm/wasm/tree-sitter-python.wasm', 'dist/grammars/tree-sitter-python.wasm'],
    ['node_modules/tree-sitter-c/tree-sitter-c.wasm', 'dist/grammars/tree-sitter-c.wasm'],
    ['node_modules/@vscode/tree-sitter-wasm/wasm/tree-sitter-cpp.wasm', 'dist/grammars/tree-sitter-cpp.wasm'],
    ['node_modules/@vscode/codicons/dist/codicon.css', 'dist/codicons/codicon.css'],
    ['node_modules/@vscode/codicons/dist/codicon.ttf', 'dist/codicons/codicon.ttf'],
  ];
  const missing = assets.map(([from]) => from).filter((from) => !existsSync(join(root, from)));
  // A missing grammar would only show at run time, as host files that silently yield no findings.
  if (missing.length > 0) throw new Error(`build: run-time assets are missing (npm ci?): ${missing.join(', ')}`);
  for (const [from, to] of assets) {
    const source = join(root, from);
    mkdirSync(dirname(join(root, to)), { recursive: true });
    cpSync(source, join(root, to));
  }
}

/**
 * `wasm-perf --version` should start like a bare `node`, and `inspect` should not compile the
 * benchmark harness: src/cli/run.ts imports each command lazily, and in dist/ each command is a
 * bundle of its own that dist/cli.js requires when the command runs (tests bundle them inline).
 */
const CLI_COMMANDS = ['check', 'inspect', 'rules', 'bench'];
const cliCommandsApart = {
  name: 'cli-commands-apart',
  setup(build) {
    build.onResolve({ filter: /^\.\/[a-z]+-command$/ }, (args) => {
      const command = args.path.slice(2, -'-command'.length);
      if (args.kind !== 'dynamic-import' || !CLI_COMMANDS.includes(command)) return undefined;
      return { path: `./cli-${command}.js`, external: true };
    });
  },
};

/** The validation thread requires dist/wabt-run.js only for its first invalid module (see validation.worker.ts). */
const wabtApart = {
  name: 'wabt-apart',
  setup(build) {
    build.onResolve({ filter: /^\.\/wabt-run$/ }, (args) =>
      args.kind === 'dynamic-import' ? { path: './wabt-run.js', external: true } : undefined,
    );
  },
};

/**
 * web-tree-sitter (180 KB of JS) is a file of its own next to the CLI's command bundles: only an
 * analysis that parses host code requires it, so `inspect` on a binary does not compile it.
 */
const treeSitterApart = {
  name: 'tree-sitter-apart',
  setup(build) {
    build.onResolve({ filter: /^web-tree-sitter$/ }, (args) =>
      args.kind === 'require-call' ? { path: './web-tree-sitter.js', external: true } : undefined,
    );
  },
};

const entry = (path) => join(root, path);
const nodeEntries = {};
if (existsSync(entry('src/extension/extension.ts'))) nodeEntries.extension = entry('src/extension/extension.ts');
// The engine as a bundle of its own, which the extension loads on its first analysis.
if (existsSync(entry('src/extension/engine-bundle.ts'))) nodeEntries.engine = entry('src/extension/engine-bundle.ts');
nodeEntries.cli = entry('src/cli/main.ts');
for (const file of walk(join(root, 'src'), (p) => p.endsWith('.worker.ts'))) {
  nodeEntries[
    file
      .split('/')
      .pop()
      .replace(/\.worker\.ts$/, '')
  ] = file;
}
const webviewEntries = walk(join(root, 'src/webview'), (p) => p.endsWith('.main.ts'));
const testEntries = walk(join(root, 'test'), (p) => p.endsWith('.test.ts'));
const benchEntries = walk(join(root, 'bench'), (p) => p.endsWith('.bench.ts'));
const e2eEntries = walk(join(root, 'test/e2e'), (p) => p.endsWith('.e2e.ts'));

const contexts = [
  {
    ...node,
    entryPoints: Object.fromEntries(Object.entries(nodeEntries).filter(([name]) => name !== 'cli' && name !== 'validation')),
    outdir: join(root, 'dist'),
  },
  {
    ...node,
    entryPoints: { validation: nodeEntries.validation, 'wabt-run': entry('src/core/wasm/wabt-run.ts') },
    outdir: join(root, 'dist'),
    plugins: [wabtApart],
    supported: { 'dynamic-import': false },
  },
  {
    ...node,
    entryPoints: { cli: nodeEntries.cli },
    outdir: join(root, 'dist'),
    banner: { js: '#!/usr/bin/env node' },
    plugins: [cliCommandsApart],
    // require() for the command bundles: a native import() would start Node's ES module loader.
    supported: { 'dynamic-import': false },
  },
  {
    ...node,
    entryPoints: Object.fromEntries(CLI_COMMANDS.map((command) => [`cli-${command}`, entry(`src/cli/${command}-command.ts`)])),
    outdir: join(root, 'dist'),
    plugins: [treeSitterApart],
  },
  {
    ...node,
    entryPoints: { 'web-tree-sitter': entry('node_modules/web-tree-sitter/web-tree-sitter.cjs') },
    outdir: join(root, 'dist'),
  },
  webviewEntries.length > 0 && {
    bundle: true,
    platform: 'browser',
    target: 'es2022',
    format: 'iife',
    sourcemap: production ? false : 'linked',
    sourcesContent: false,
    minify: production,
    logLevel: 'warning',
    entryPoints: Object.fromEntries(
      webviewEntries.map((p) => [
        p
          .split('/')
          .pop()
          .replace(/\.main\.ts$/, ''),
        p,
      ]),
    ),
    outdir: join(root, 'dist/webview'),
    loader: { '.css': 'text' },
  },
  testEntries.length > 0 && {
    ...node,
    sourcemap: 'inline',
    entryPoints: testEntries.map((p) => ({ in: p, out: relative(join(root, 'test'), p).replace(/\.ts$/, '') })),
    outdir: join(root, 'out/test'),
  },
  e2eEntries.length > 0 && {
    ...node,
    sourcemap: 'inline',
    // Playwright stays in node_modules: it locates its own files at run time.
    packages: 'external',
    entryPoints: e2eEntries.map((p) => ({ in: p, out: relative(join(root, 'test/e2e'), p).replace(/\.ts$/, '') })),
    outdir: join(root, 'out/e2e'),
  },
  benchEntries.length > 0 && {
    ...node,
    // mitata probes for Bun's runtime module behind a runtime check; it never loads under Node.
    external: [...node.external, 'bun:*'],
    entryPoints: benchEntries.map((p) => ({ in: p, out: relative(join(root, 'bench'), p).replace(/\.ts$/, '') })),
    outdir: join(root, 'out/bench'),
  },
].filter(Boolean);

copyAssets();
if (watch) {
  for (const options of contexts) await (await esbuild.context(options)).watch();
  console.log('esbuild: watching');
} else {
  await Promise.all(contexts.map((options) => esbuild.build(options)));
}
