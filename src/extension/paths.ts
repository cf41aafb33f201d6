/**
 * Engine paths ('/'-separated, absolute) and VS Code URIs, one folder at a time. File
 * URIs use the OS path the node host reads; any other scheme keeps the URI's own path and
 * the folder's scheme and authority, so a finding's path maps back to the same resource.
 */
import * as vscode from 'vscode';
import type { FilePath } from '../core/model';
import { toEnginePath, toOsPath } from '../node/node-host';

export interface PathMapper {
  readonly scheme: string;
  toPath(uri: vscode.Uri): FilePath;
  toUri(path: FilePath): vscode.Uri;
}

export function pathMapperFor(folder: vscode.Uri): PathMapper {
  if (folder.scheme === 'file') {
    return {
      scheme: 'file',
      toPath: (uri) => toEnginePath(uri.fsPath),
      toUri: (path) => vscode.Uri.file(toOsPath(path)),
    };
  }
  return {
    scheme: folder.scheme,
    toPath: (uri) => uri.path,
    toUri: (path) => folder.with({ path }),
  };
}
