/**
 * Reads files through the host once per analysis, decodes text strictly as UTF-8, and
 * turns every failure into data (`ReadFailure`) instead of an exception, so one bad
 * file never stops the analysis of the rest.
 */
import { describeError, isHostError, isMissing, type Host } from '../host';
import type { FilePath } from '../model';
import { LineIndex } from '../text/line-index';

export interface SourceFile {
  readonly path: FilePath;
  readonly text: string;
  readonly lines: LineIndex;
}

export type ReadFailure =
  | { readonly kind: 'missing'; readonly message: string }
  | { readonly kind: 'unreadable'; readonly message: string }
  | { readonly kind: 'too-large'; readonly message: string; readonly size: number }
  /** Not valid UTF-8; `byteOffset` is the first bad byte. */
  | { readonly kind: 'not-utf8'; readonly message: string; readonly byteOffset: number };

export type TextResult = { readonly ok: true; readonly file: SourceFile } | { readonly ok: false; readonly failure: ReadFailure };
export type BytesResult = { readonly ok: true; readonly bytes: Uint8Array } | { readonly ok: false; readonly failure: ReadFailure };

const strictUtf8 = new TextDecoder('utf-8', { fatal: true, ignoreBOM: false });

export function firstInvalidUtf8(bytes: Uint8Array): number {
  // Binary search on prefixes would be slower than one linear scan of the lead/continuation bytes.
  let i = 0;
  while (i < bytes.length) {
    const b = bytes[i]!;
    const need = b < 0x80 ? 0 : b >= 0xc2 && b <= 0xdf ? 1 : b >= 0xe0 && b <= 0xef ? 2 : b >= 0xf0 && b <= 0xf4 ? 3 : -1;
    if (need < 0) return i;
    for (let k = 1; k <= need; k++) {
      const c = bytes[i + k];
      if (c === undefined || (c & 0xc0) !== 0x80) return i;
    }
    i += need + 1;
  }
  return -1;
}

export function decodeUtf8(path: FilePath, bytes: Uint8Array): TextResult {
  try {
    const text = strictUtf8.decode(bytes);
    return { ok: true, file: { path, text, lines: new LineIndex(text) } };
  } catch {
    const byteOffset = Math.max(0, firstInvalidUtf8(bytes));
    return {
      ok: false,
      failure: { kind: 'not-utf8', byteOffset, message: `not valid UTF-8 (first bad byte at offset ${byteOffset})` },
    };
  }
}

function failureOf(error: unknown): ReadFailure {
  if (isMissing(error)) return { kind: 'missing', message: 'file not found' };
  if (isHostError(error) && error.code === 'EACCES') return { kind: 'unreadable', message: 'permission denied' };
  return { kind: 'unreadable', message: describeError(error) };
}

/** Per-analysis cache of reads. Create a new one for each `analyze()` call. */
export class FileReader {
  private readonly texts = new Map<FilePath, Promise<TextResult>>();
  private readonly sizes = new Map<FilePath, Promise<number | undefined>>();

  constructor(
    private readonly host: Host,
    private readonly maxTextBytes: number,
  ) {}

  /**
   * A reader for the next analysis that keeps every earlier read except those of `changed`
   * paths: an edit to one file then costs one read, not a read of the whole workspace.
   */
  withChanges(changed: Iterable<FilePath>): FileReader {
    const next = new FileReader(this.host, this.maxTextBytes);
    const dropped = new Set(changed);
    for (const [path, text] of this.texts) if (!dropped.has(path)) next.texts.set(path, text);
    for (const [path, size] of this.sizes) if (!dropped.has(path)) next.sizes.set(path, size);
    return next;
  }

  private size(path: FilePath): Promise<number | undefined> {
    let pending = this.sizes.get(path);
    if (!pending) {
      pending = this.host.stat(path).then(
        (s) => (s.kind === 'file' || s.kind === 'symlink' ? s.size : undefined),
        () => undefined,
      );
      this.sizes.set(path, pending);
    }
    return pending;
  }

  readText(path: FilePath): Promise<TextResult> {
    let pending = this.texts.get(path);
    if (!pending) {
      pending = this.loadText(path);
      this.texts.set(path, pending);
    }
    return pending;
  }

  private async loadText(path: FilePath): Promise<TextResult> {
    const size = await this.size(path);
    if (size !== undefined && size > this.maxTextBytes) {
      return {
        ok: false,
        failure: {
          kind: 'too-large',
          size,
          message: `skipped: ${size} bytes is more than the ${this.maxTextBytes}-byte limit for text files`,
        },
      };
    }
    try {
      return decodeUtf8(path, await this.host.readFile(path));
    } catch (error) {
      return { ok: false, failure: failureOf(error) };
    }
  }

  /** Binary read with its own size limit; not cached (binaries are large and read once). */
  async readBytes(path: FilePath, maxBytes: number): Promise<BytesResult> {
    const size = await this.size(path);
    if (size !== undefined && size > maxBytes) {
      return {
        ok: false,
        failure: { kind: 'too-large', size, message: `skipped: ${size} bytes is more than the ${maxBytes}-byte limit for binaries` },
      };
    }
    try {
      return { ok: true, bytes: await this.host.readFile(path) };
    } catch (error) {
      return { ok: false, failure: failureOf(error) };
    }
  }

  /** Every text file read successfully so far (hosts turn spans into positions with it). */
  async sources(): Promise<Map<FilePath, SourceFile>> {
    const out = new Map<FilePath, SourceFile>();
    for (const [path, pending] of this.texts) {
      const result = await pending;
      if (result.ok) out.set(path, result.file);
    }
    return out;
  }

  /** Does a file exist (used for ancestor config lookup outside the roots)? */
  async exists(path: FilePath): Promise<boolean> {
    return (await this.size(path)) !== undefined;
  }
}
