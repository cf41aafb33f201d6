/**
 * Reads and parses the TOML files the cargo loader needs. Parsed documents are cached by
 * content across analyses, so after an edit only the edited file is parsed again. Files
 * that do not parse or are not UTF-8 become `TomlProblem`s, never exceptions.
 */
import type { FilePath } from '../model';
import type { LoadContext } from '../workspace/load-context';
import type { TomlProblem } from './model';
import { parseTomlDocument, type TomlDocument, type TomlParse } from './toml-document';

export class TomlFiles {
  readonly documents = new Map<FilePath, TomlDocument>();
  readonly problems = new Map<FilePath, TomlProblem>();
  private readonly pending = new Map<FilePath, Promise<TomlDocument | undefined>>();

  constructor(private readonly context: LoadContext) {}

  /** The parsed file, or undefined when it is missing, unreadable or broken (then a problem or notice says why). */
  read(path: FilePath, fileKind: TomlProblem['fileKind']): Promise<TomlDocument | undefined> {
    let pending = this.pending.get(path);
    if (!pending) {
      pending = this.load(path, fileKind);
      this.pending.set(path, pending);
    }
    return pending;
  }

  private async load(path: FilePath, fileKind: TomlProblem['fileKind']): Promise<TomlDocument | undefined> {
    const result = await this.context.reader.readText(path);
    if (!result.ok) {
      const { failure } = result;
      if (failure.kind === 'missing') return undefined;
      if (failure.kind === 'not-utf8') {
        this.problems.set(path, { file: path, fileKind, offset: await this.utf16Offset(path, failure.byteOffset), message: failure.message });
      } else {
        this.context.notice({ file: path, kind: failure.kind === 'too-large' ? 'skipped' : 'unreadable', message: failure.message });
      }
      return undefined;
    }
    const { text } = result.file;
    const parsed = this.context.cache.get<TomlParse>('cargo-toml', path, text, () => parseTomlDocument(text));
    if (!parsed.ok) {
      this.problems.set(path, { file: path, fileKind, offset: parsed.error.offset, message: parsed.error.message });
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
