/**
 * What the engine needs from the program that runs it (taplo's `Environment` idea).
 * The CLI implements it over `node:fs`, the extension over `vscode.workspace.fs` plus
 * the unsaved text of open editors, and tests over an in-memory tree.
 */
import type { FilePath } from './model';

export type EntryKind = 'file' | 'directory' | 'symlink' | 'other';

export interface DirEntry {
  readonly name: string;
  readonly kind: EntryKind;
}

export interface FileStat {
  readonly kind: EntryKind;
  readonly size: number;
}

/** Thrown by hosts; `code` follows Node's spelling where one exists. */
export class HostError extends Error {
  constructor(
    message: string,
    readonly code: 'ENOENT' | 'EACCES' | 'ENOTDIR' | 'EISDIR' | 'ELOOP' | 'EIO' | 'EOTHER',
  ) {
    super(message);
    this.name = 'HostError';
  }
}

export interface Host {
  /** Whole file contents. Hosts with editor overlays return the unsaved text (UTF-8 encoded). */
  readFile(path: FilePath): Promise<Uint8Array>;
  /** Does not follow a final symlink (like lstat). */
  stat(path: FilePath): Promise<FileStat>;
  readDirectory(path: FilePath): Promise<readonly DirEntry[]>;
  /** Resolves symlinks; used to break symlink loops. */
  realPath(path: FilePath): Promise<FilePath>;
  /** Environment variables of the build the user runs (RUSTFLAGS, CARGO_HOME, …). */
  readonly env: Readonly<Record<string, string | undefined>>;
  /** Platform the findings are judged for (wasmtime unwind info depends on it). */
  readonly platform: NodeJS.Platform;
}

/** Where bundled run-time assets (tree-sitter grammars, workers) live. */
export interface Assets {
  /** Directory holding `web-tree-sitter.wasm` and `grammars/`. */
  readonly dir: string;
}

/**
 * Is this a HostError? Checked by shape, not `instanceof`: the extension bundle and the engine
 * bundle each carry their own copy of the class, and a host in one throws into the other.
 */
export function isHostError(error: unknown): error is HostError {
  return error instanceof Error && error.name === 'HostError' && typeof (error as Partial<HostError>).code === 'string';
}

export function isMissing(error: unknown): boolean {
  return isHostError(error) && (error.code === 'ENOENT' || error.code === 'ENOTDIR');
}

export function describeError(error: unknown): string {
  if (error instanceof Error) return error.message;
  return String(error);
}
