/**
 * Lazily loads web-tree-sitter and the grammars, once per process, and turns a parse
 * into a plain JavaScript tree (`SyntaxNode`) that the fact extractors walk.
 *
 * Why a plain tree instead of tree-sitter queries: every property access on a
 * web-tree-sitter node crosses into wasm, and compiling the Rust query alone takes
 * 40–60 ms (dependencies.md §6). One cursor walk that copies the named nodes costs a
 * few milliseconds, frees the wasm tree at once, and leaves extractors that are plain,
 * synchronous, unit-testable TypeScript.
 *
 * Why bytes instead of paths: web-tree-sitter locates its runtime `.wasm` relative to
 * the script that contains it (`__dirname` in the .cjs build that we bundle). Once esbuild bundles it into dist/cli.js, dist/extension.js or a test under
 * out/test/, that directory is wrong. Handing `Parser.init` the runtime's bytes as
 * `wasmBinary` (and `Language.load` the grammar's bytes) means nothing is ever resolved
 * relative to the bundle; all reads go through the `Host`, from `assets.dir`. The
 * `locateFile` option is set as well so that any other lookup the Emscripten glue might
 * make also lands in `assets.dir` instead of next to the bundle.
 */
import type * as WebTreeSitter from 'web-tree-sitter';
import type { Host } from '../host';
import { join } from '../text/paths';
import type { HostLanguage } from './model';

export interface SyntaxNode {
  readonly type: string;
  /** The field name this node has in its parent (`function`, `arguments`, `name`…). */
  readonly field: string | undefined;
  readonly start: number;
  readonly end: number;
  readonly children: readonly SyntaxNode[];
  readonly parent: SyntaxNode | undefined;
  /** Position among the parent's `children` (sibling lookups stay O(1) in 10,000-item files). */
  readonly index: number;
}

export interface ParsedSource {
  readonly root: SyntaxNode;
  /** The tree contains ERROR or MISSING nodes: facts may be partial. */
  readonly hasErrors: boolean;
}

/** Grammar file per language (copied to dist/grammars/ by esbuild.mjs). */
const GRAMMAR_FILE: Record<HostLanguage, string> = {
  rust: 'tree-sitter-rust.wasm',
  go: 'tree-sitter-go.wasm',
  python: 'tree-sitter-python.wasm',
  c: 'tree-sitter-c.wasm',
  cpp: 'tree-sitter-cpp.wasm',
};

type TreeSitterModule = typeof WebTreeSitter;
type Language = WebTreeSitter.Language;
type Parser = WebTreeSitter.Parser;
type TreeCursor = WebTreeSitter.TreeCursor;

interface Runtime {
  readonly module: TreeSitterModule;
  readonly languages: Map<string, Promise<Language>>;
  readonly parsers: Map<string, Parser>;
}

/** One runtime per assets directory for the life of the process (init is ~15–20 ms). */
const runtimes = new Map<string, Promise<Runtime>>();

async function loadRuntime(host: Host, assetsDir: string): Promise<Runtime> {
  // `require`, not `import()`: esbuild resolves `import()` with the package's "import"
  // condition, i.e. the ESM build, whose `createRequire(import.meta.url)` throws once
  // bundled to CJS (import.meta is empty there). `require` selects web-tree-sitter.cjs.
  // esbuild wraps the bundled module in a lazy initializer, so its code still runs only
  // when the first file that mentions a wasm runtime is found.
  const module = require('web-tree-sitter') as TreeSitterModule;
  const wasmBinary = await host.readFile(join(assetsDir, 'web-tree-sitter.wasm'));
  await module.Parser.init({
    wasmBinary,
    locateFile: (name: string) => join(assetsDir, name),
  } as Parameters<typeof module.Parser.init>[0]);
  return { module, languages: new Map(), parsers: new Map() };
}

function runtimeFor(host: Host, assetsDir: string): Promise<Runtime> {
  let pending = runtimes.get(assetsDir);
  if (!pending) {
    pending = loadRuntime(host, assetsDir);
    runtimes.set(assetsDir, pending);
    // A failed load (missing asset) is retried by the next analysis rather than cached.
    pending.catch(() => runtimes.delete(assetsDir));
  }
  return pending;
}

/** A parser for `language`, ready to use. Throws when an asset is missing or invalid. */
export async function parserFor(host: Host, assetsDir: string, language: HostLanguage): Promise<Parser> {
  const runtime = await runtimeFor(host, assetsDir);
  const file = GRAMMAR_FILE[language];
  const existing = runtime.parsers.get(file);
  if (existing) return existing;
  let pendingLanguage = runtime.languages.get(file);
  if (!pendingLanguage) {
    pendingLanguage = host.readFile(join(assetsDir, 'grammars', file)).then((bytes) => runtime.module.Language.load(bytes));
    runtime.languages.set(file, pendingLanguage);
    pendingLanguage.catch(() => runtime.languages.delete(file));
  }
  const grammar = await pendingLanguage;
  const again = runtime.parsers.get(file);
  if (again) return again;
  const parser = new runtime.module.Parser();
  parser.setLanguage(grammar);
  runtime.parsers.set(file, parser);
  return parser;
}

interface MutableNode {
  type: string;
  field: string | undefined;
  start: number;
  end: number;
  children: MutableNode[];
  parent: MutableNode | undefined;
  index: number;
}

/** Parses `text` and copies its named nodes into a plain tree; the wasm tree is freed. */
export function parseToPlainTree(parser: Parser, text: string): ParsedSource {
  const tree = parser.parse(text);
  if (!tree) throw new Error('tree-sitter returned no tree');
  try {
    const cursor = tree.walk();
    try {
      const root = copyTree(cursor);
      return { root, hasErrors: tree.rootNode.hasError };
    } finally {
      cursor.delete();
    }
  } finally {
    tree.delete();
  }
}

function copyTree(cursor: TreeCursor): SyntaxNode {
  const root: MutableNode = {
    type: cursor.nodeType,
    field: undefined,
    start: cursor.startIndex,
    end: cursor.endIndex,
    children: [],
    parent: undefined,
    index: 0,
  };
  // Iterative pre-order walk: deeply nested generated code must not overflow the JS stack.
  const stack: MutableNode[] = [root];
  if (!cursor.gotoFirstChild()) return root;
  for (;;) {
    const parent = stack[stack.length - 1]!;
    let current: MutableNode | undefined;
    if (cursor.nodeIsNamed || cursor.nodeIsMissing) {
      current = {
        type: cursor.nodeIsMissing ? 'MISSING' : cursor.nodeType,
        field: cursor.currentFieldName ?? undefined,
        start: cursor.startIndex,
        end: cursor.endIndex,
        children: [],
        parent,
        index: parent.children.length,
      };
      parent.children.push(current);
    }
    if (current && cursor.gotoFirstChild()) {
      stack.push(current);
      continue;
    }
    while (!cursor.gotoNextSibling()) {
      if (!cursor.gotoParent() || stack.length <= 1) return root;
      stack.pop();
    }
  }
}
