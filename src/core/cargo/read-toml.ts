/**
 * Reads and parses the TOML files the cargo loader needs. Parsed documents are cached by
 * content across analyses (the engine's one cache, keyed by the file's text), so after an
 * edit only the edited file is parsed again and every other file gives the same document. Files
 * that do not parse or are not UTF-8 become `TomlProblem`s, never exceptions.
 */
import type { FilePath } from '../model';
import { join, normalize } from '../text/paths';
import { classify } from '../workspace/discover';
import type { DiscoveredFiles } from '../workspace/discover';
import type { LoadContext } from '../workspace/load-context';
import type { TextResult } from '../workspace/reader';
import type { TomlProblem } from './model';
import { parseTomlDocument, type TomlDocument, type TomlParse } from './toml-document';

/** Liquid/cargo-generate placeholders: `{{ name }}` or `{% tag %}`. */
const TEMPLATE_PLACEHOLDER = /\{\{[^{}\n]*\}\}|\{%[^%\n]*%\}/;

/** The text keeps cargo-generate/Liquid placeholders (`{{project-name}}`, `{% if %}`): it is a template, not a project. */
export function hasTemplatePlaceholders(text: string): boolean {
  return TEMPLATE_PLACEHOLDER.test(text);
}

function discoveredSet(files: DiscoveredFiles): ReadonlySet<FilePath> {
  const { roots: _roots, ...kinds } = files;
  return new Set(Object.values(kinds).flat());
}

const NOT_THERE: Promise<undefined> = Promise.resolve(undefined);

export class TomlFiles {
  readonly documents = new Map<FilePath, TomlDocument>();
  readonly problems = new Map<FilePath, TomlProblem>();
  /** Every path asked for, with the kind it was first read as (the cargo loader compares them across analyses). */
  readonly kinds = new Map<FilePath, TomlProblem['fileKind']>();
  private readonly pending = new Map<FilePath, Promise<TomlDocument | undefined>>();

  private readonly discovered: ReadonlySet<FilePath>;
  private readonly rootPrefixes: readonly string[];

  constructor(private readonly context: LoadContext) {
    // The editor's re-analyses reuse the discovered file list, and with it this set.
    this.discovered = context.cache.get('discovered-set', '', [context.files], () => discoveredSet(context.files));
    this.rootPrefixes = context.files.roots.map((root) => normalize(root)).map((root) => (root.endsWith('/') ? root : `${root}/`));
  }

  /**
   * Inside the analysed roots discovery has already listed every file of the kinds it
   * sorts (manifests, configs, toolchains), so a lookup there needs no file-system call;
   * other files (config `include`s) and everything outside the roots do.
   */
  mayExist(path: FilePath): boolean {
    if (this.discovered.has(path) || classify(path, path) === undefined) return true;
    return !this.rootPrefixes.some((prefix) => path.startsWith(prefix));
  }

  /**
   * The files named `names` in `dir` that may exist (see `mayExist`). Every crate directory
   * asks this for config and toolchain files, so the answers are kept while the discovered
   * file list is reused.
   */
  candidates(dir: FilePath, names: readonly string[]): readonly FilePath[] {
    return this.context.cache.get(`cargo-candidates ${names.join(' ')}`, dir, [this.context.files], () =>
      names.map((name) => join(dir, name)).filter((path) => this.mayExist(path)),
    );
  }

  /** The parsed file, or undefined when it is missing, unreadable or broken (then a problem or notice says why). */
  read(path: FilePath, fileKind: TomlProblem['fileKind']): Promise<TomlDocument | undefined> {
    let pending = this.pending.get(path);
    if (!pending) {
      this.kinds.set(path, fileKind);
      if (this.mayExist(path)) {
        pending = this.load(path, fileKind, this.context.reader.readText(path));
      } else {
        pending = NOT_THERE;
      }
      this.pending.set(path, pending);
    }
    return pending;
  }

  private async load(path: FilePath, fileKind: TomlProblem['fileKind'], read: Promise<TextResult>): Promise<TomlDocument | undefined> {
    const result = await read;
    if (!result.ok) {
      const { failure } = result;
      if (failure.kind === 'missing') return undefined;
      if (failure.kind === 'not-utf8') {
        this.problems.set(path, {
          file: path,
          fileKind,
          offset: await this.utf16Offset(path, failure.byteOffset),
          message: failure.message,
        });
      } else {
        this.context.notice({ file: path, kind: failure.kind === 'too-large' ? 'skipped' : 'unreadable', message: failure.message });
      }
      return undefined;
    }
    const { text } = result.file;
    const parsed = this.context.cache.get<TomlParse>('cargo-toml', path, text, () => parseTomlDocument(text));
    if (!parsed.ok) {
      // A cargo-generate / Liquid template (`{{project-name}}`, `{% if %}`) is not TOML until it is
      // rendered: say it was skipped instead of reporting a syntax error nobody can fix.
      if (hasTemplatePlaceholders(text)) {
        this.context.notice({
          file: path,
          kind: 'skipped',
          message: 'template with {{ }} or {% %} placeholders; analysed once it is rendered',
        });
      } else {
        this.problems.set(path, { file: path, fileKind, offset: parsed.error.offset, message: parsed.error.message });
      }
      return undefined;
    }
    this.documents.set(path, parsed.document);
    return parsed.document;
  }

  /** The bytes before the first bad byte are valid UTF-8, so their decoded length is the text offset. */
  private async utf16Offset(path: FilePath, byteOffset: number): Promise<number> {
    const bytes = await this.context.reader.readBytes(path, this.context.settings.maxTextBytes);
    if (!bytes.ok) return 0;
    return new TextDecoder().decode(bytes.bytes.subarray(0, byteOffset)).length;
  }
}
