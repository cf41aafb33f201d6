/**
 * Builds the host-code model: reads every discovered host source that mentions a wasm
 * runtime, parses it with tree-sitter, extracts language-neutral facts, and reads the
 * binding versions pinned in go.mod and Python manifests. Facts are cached per file
 * text, so an unchanged file is never parsed twice.
 */
import type { CargoModel } from '../cargo/model';
import { describeError } from '../host';
import type { FilePath } from '../model';
import { dirname } from '../text/paths';
import type { LoadContext } from '../workspace/load-context';
import { isTestFile } from '../workspace/test-code';
import { extractC } from './extract-c';
import { extractGo } from './extract-go';
import { extractPython } from './extract-python';
import { extractRust } from './extract-rust';
import { goModulePath, isRuntimeOwnCode, judgedFacts, owningCrate, pythonProjectName, type CodeOwners } from './judged-code';
import type { HostCodeModel, HostFileFacts, HostLanguage, PinnedVersion } from './model';
import { parserFor, parseToPlainTree } from './tree-sitter';
import { goModulePins, pythonPins } from './versions';

/**
 * Files that name none of the runtimes are skipped before any parsing. A Go file may
 * call `Instantiate` on a wazero runtime created in another file of its package
 * without naming wazero, so those calls count as a mention too.
 */
const MENTIONS_RUNTIME = /wasmtime|wazero|wasmi/;
const MENTIONS_WAZERO_CALL = /\.Instantiate(?:WithConfig)?\(/;
const GO_BUILD_IGNORE = /^\/\/(?:go:build|\s*\+build)\s+ignore\s*$/m;

/** The language a path's extension names; a `.h` header is C until its text says otherwise (`sourceLanguage`). */
export function languageOf(path: FilePath): HostLanguage | undefined {
  const extension = /\.([a-z]+)$/.exec(path)?.[1];
  switch (extension) {
    case 'rs':
      return 'rust';
    case 'go':
      return 'go';
    case 'py':
      return 'python';
    case 'c':
    case 'h':
      return 'c';
    case 'cc':
    case 'cpp':
    case 'cxx':
    case 'hpp':
    case 'hh':
      return 'cpp';
    default:
      return undefined;
  }
}

/**
 * Code that only C++ has: a namespace, class or template declaration, a `::` scope
 * (`wasmtime::Config`), a `using` declaration, or an include of a C++ header. Comments
 * and string literals are left out, so prose that says "class" does not count; the
 * `extern "C"` that C headers wrap in `#ifdef __cplusplus` has none of these.
 */
const CPP_MARKER = new RegExp(
  [
    String.raw`\bnamespace\s+\w`,
    String.raw`\bclass\s+\w+\s*(?:final\s*)?[:{]`,
    String.raw`\btemplate\s*<`,
    String.raw`\w\s*::\s*~?\w`,
    String.raw`\busing\s+namespace\b|\busing\s+\w+\s*=`,
  ].join('|'),
);
/** Read from the raw text: the quotes of `#include "engine.hpp"` are a literal to `CPP_MARKER`. */
const CPP_INCLUDE =
  /^[ \t]*#[ \t]*include[ \t]*(?:[<"][^>"\n]*\.(?:hh|hpp|hxx)[>"]|<(?:string|vector|memory|map|iostream|utility|functional|optional)>)/m;
const COMMENTS_AND_LITERALS = /\/\/[^\n]*|\/\*[\s\S]*?\*\/|'(?:[^'\\\n]|\\.)*'|"(?:[^"\\\n]|\\.)*"/g;

/** The language of a host source: its extension's, except that a `.h` header with C++ code in it is C++. */
export function sourceLanguage(path: FilePath, text: string): HostLanguage | undefined {
  const language = languageOf(path);
  if (language !== 'c' || !path.endsWith('.h')) return language;
  const code = text.replace(COMMENTS_AND_LITERALS, (match) => (match.startsWith('/') ? ' ' : '""'));
  return CPP_INCLUDE.test(text) || CPP_MARKER.test(code) ? 'cpp' : 'c';
}

/** Extracts the facts of one parsed file (exported for the extractor unit tests). */
export function extractFacts(
  path: FilePath,
  language: HostLanguage,
  text: string,
  parse: (source: string) => ReturnType<typeof parseToPlainTree>,
): HostFileFacts {
  const parsed = parse(text);
  switch (language) {
    case 'rust':
      return extractRust(path, text, parsed.root, parsed.hasErrors);
    case 'go':
      return extractGo(path, text, parsed.root, parsed.hasErrors);
    case 'python':
      return extractPython(path, text, parsed.root, parsed.hasErrors);
    case 'c':
    case 'cpp':
      return extractC(path, language, text, parsed.root, parsed.hasErrors);
  }
}

/**
 * Source trees hold plenty of Latin-1 C files that have nothing to do with wasm; a file
 * that is not UTF-8 gets a notice only when its bytes name a runtime.
 */
async function worthANotice(context: LoadContext, path: FilePath, failure: string): Promise<boolean> {
  if (failure === 'missing') return false;
  if (failure !== 'not-utf8') return true;
  const bytes = await context.reader.readBytes(path, context.settings.maxTextBytes);
  return bytes.ok && MENTIONS_RUNTIME.test(new TextDecoder('latin1').decode(bytes.bytes));
}

/** The module paths of go.mod files and the project names of pyproject.toml files, by directory. */
async function projectOwners(context: LoadContext, cargo: CargoModel): Promise<CodeOwners> {
  const goModules = new Map<FilePath, string>();
  const pythonProjects = new Map<FilePath, string>();
  for (const path of [...context.files.goModules, ...context.files.pythonManifests]) {
    const isGo = path.endsWith('go.mod');
    if (!isGo && !path.endsWith('pyproject.toml')) continue;
    const read = await context.reader.readText(path);
    if (!read.ok) continue;
    const name = isGo ? goModulePath(read.file.text) : pythonProjectName(read.file.text);
    if (name) (isGo ? goModules : pythonProjects).set(dirname(path), name);
  }
  return { cargo, goModules, pythonProjects };
}

export async function loadHostCode(context: LoadContext, cargo: CargoModel): Promise<HostCodeModel> {
  const files: HostFileFacts[] = [];
  let runtimeUnavailable = false;
  const { includeTests } = context.settings;
  const owners = await projectOwners(context, cargo);
  // Judged by path alone, so kept while the discovered file list is reused (an editor's re-analysis).
  const judged = context.cache.get('hostcode-sources', '', [context.files, includeTests], () =>
    context.files.hostSources.filter((path) => languageOf(path) && (includeTests || !isTestFile(context.files.roots, path))),
  );
  for (const path of judged) {
    if (context.signal?.aborted || runtimeUnavailable) break;
    const read = await context.reader.readText(path);
    if (!read.ok) {
      if (await worthANotice(context, path, read.failure.kind)) {
        context.notice({ file: path, kind: read.failure.kind === 'unreadable' ? 'unreadable' : 'skipped', message: read.failure.message });
      }
      continue;
    }
    const text = read.file.text;
    const language = sourceLanguage(path, text)!;
    if (!MENTIONS_RUNTIME.test(text) && !(language === 'go' && MENTIONS_WAZERO_CALL.test(text))) continue;
    // `//go:build ignore` files are not part of any build (one-off generators run with `go run`).
    if (language === 'go' && GO_BUILD_IGNORE.test(text)) continue;
    let parser;
    try {
      parser = await parserFor(context.host, context.assets.dir, language);
    } catch (error) {
      runtimeUnavailable = true;
      context.notice({
        file: path,
        kind: 'internal',
        message: `host-code analysis unavailable: cannot load the tree-sitter ${language} parser from ${context.assets.dir}: ${describeError(error)}`,
      });
      break;
    }
    if (isRuntimeOwnCode(path, language, owners)) continue;
    try {
      const facts = context.cache.get('hostcode', path, [language, text], () =>
        extractFacts(path, language, text, (source) => parseToPlainTree(parser, source)),
      );
      files.push(judgedFacts(facts, language === 'rust' ? owningCrate(path, cargo.crates) : undefined, includeTests));
    } catch (error) {
      context.notice({ file: path, kind: 'internal', message: `could not analyse host code: ${describeError(error)}` });
    }
  }

  const pins: PinnedVersion[] = [];
  for (const path of [...context.files.goModules, ...context.files.pythonManifests]) {
    const read = await context.reader.readText(path);
    if (!read.ok) continue;
    const text = read.file.text;
    if (!/wasmtime|wazero/.test(text)) continue;
    pins.push(...(path.endsWith('go.mod') ? goModulePins(path, text) : pythonPins(path, text)));
  }
  return { files, pins };
}
