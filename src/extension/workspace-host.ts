/**
 * The engine's `Host` inside VS Code: the disk (node:fs for file URIs, which also gives
 * lstat and realpath; `vscode.workspace.fs` for other schemes) with the text of open
 * editors laid over it (overlay-host.ts), so unsaved edits are analysed as typed.
 */
import * as vscode from 'vscode';
import { HostError, type DirEntry, type EntryKind, type FileStat, type Host } from '../core/host';
import type { FilePath } from '../core/model';
import { createNodeHost } from '../node/node-host';
import type { OverlaySource, OverlayText } from './overlay-host';
import type { PathMapper } from './paths';

export { createOverlayHost, type OverlayHost, type OverlaySource, type OverlayText } from './overlay-host';

/** The overlay of every open text document in the mapper's scheme. */
export function openDocumentsOverlay(mapper: PathMapper): OverlaySource {
  return (path) => {
    const uri = mapper.toUri(path).toString();
    const document = vscode.workspace.textDocuments.find((d) => d.uri.scheme === mapper.scheme && d.uri.toString() === uri);
    return document && !document.isClosed ? { text: document.getText(), version: document.version } : undefined;
  };
}

/**
 * The text of every open document inside a local folder, for the analysis thread, which
 * cannot ask VS Code itself. Closed and out-of-folder documents are left out.
 */
export function openDocumentsIn(mapper: PathMapper, contains: (path: FilePath) => boolean): Map<FilePath, OverlayText> {
  const open = new Map<FilePath, OverlayText>();
  for (const document of vscode.workspace.textDocuments) {
    if (document.isClosed || document.uri.scheme !== mapper.scheme) continue;
    const path = mapper.toPath(document.uri);
    if (contains(path)) open.set(path, { text: document.getText(), version: document.version });
  }
  return open;
}

export function createBaseHost(mapper: PathMapper, env: Readonly<Record<string, string | undefined>>): Host {
  return mapper.scheme === 'file' ? createNodeHost({ env }) : createWorkspaceFsHost(mapper, env);
}

function kindOf(type: vscode.FileType): EntryKind {
  if (type & vscode.FileType.SymbolicLink) return 'symlink';
  if (type & vscode.FileType.Directory) return 'directory';
  if (type & vscode.FileType.File) return 'file';
  return 'other';
}

function hostError(error: unknown): HostError {
  const code = error instanceof vscode.FileSystemError ? error.code : undefined;
  const message = error instanceof Error ? error.message : String(error);
  // An error that crossed from another process may arrive as a plain Error named after its kind.
  const name = error instanceof Error ? error.name : '';
  if (code === 'FileNotFound' || /EntryNotFound|FileNotFound/.test(name)) return new HostError(message, 'ENOENT');
  if (code === 'FileNotADirectory') return new HostError(message, 'ENOTDIR');
  if (code === 'FileIsADirectory') return new HostError(message, 'EISDIR');
  if (code === 'NoPermissions') return new HostError(message, 'EACCES');
  return new HostError(message, 'EOTHER');
}

async function wrap<T>(work: () => Thenable<T>): Promise<T> {
  try {
    return await work();
  } catch (error) {
    throw hostError(error);
  }
}

/**
 * A host over `vscode.workspace.fs` for non-file schemes. Those providers expose no
 * realpath, so symlinked directories are recognised by their type bit and a path is its
 * own real path (discovery still stops at depth 64).
 */
function createWorkspaceFsHost(mapper: PathMapper, env: Readonly<Record<string, string | undefined>>): Host {
  const fs = vscode.workspace.fs;
  return {
    env,
    platform: process.platform,
    readFile: (path) => wrap(() => fs.readFile(mapper.toUri(path))),
    stat: (path) =>
      wrap(async (): Promise<FileStat> => {
        const stat = await fs.stat(mapper.toUri(path));
        return { kind: kindOf(stat.type), size: stat.size };
      }),
    readDirectory: (path) =>
      wrap(async (): Promise<DirEntry[]> =>
        (await fs.readDirectory(mapper.toUri(path))).map(([name, type]) => ({ name, kind: kindOf(type) })),
      ),
    realPath: async (path) => {
      await wrap(() => fs.stat(mapper.toUri(path)));
      return path;
    },
  };
}
