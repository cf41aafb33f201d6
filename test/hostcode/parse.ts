/** Parses host source with the real tree-sitter grammars from dist/ (tests run after the build). */
import { extractFacts, sourceLanguage } from '../../src/core/hostcode/load';
import type { HostFileFacts, HostLanguage } from '../../src/core/hostcode/model';
import { parserFor, parseToPlainTree, type ParsedSource } from '../../src/core/hostcode/tree-sitter';
import { createNodeHost } from '../../src/node/node-host';
import { testAssets } from '../helpers/hosts';

const host = createNodeHost({});

export async function parse(language: HostLanguage, text: string): Promise<ParsedSource> {
  return parseToPlainTree(await parserFor(host, testAssets().dir, language), text);
}

/** Facts of `text` as if it were the file at `path` (the extension, and for a `.h` the text, picks the language). */
export async function factsOf(path: string, text: string): Promise<HostFileFacts> {
  const language = sourceLanguage(path, text);
  if (!language) throw new Error(`not a host source: ${path}`);
  const parser = await parserFor(host, testAssets().dir, language);
  return extractFacts(path, language, text, (source) => parseToPlainTree(parser, source));
}

/** The source text a span covers. */
export function textAt(text: string, span: { start: number; end: number }): string {
  return text.slice(span.start, span.end);
}
