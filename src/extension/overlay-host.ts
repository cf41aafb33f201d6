/**
 * A `Host` with the text of open editors laid over another host, so unsaved edits are
 * analysed as typed. Every overlay read is recorded with the document version it came from:
 * code actions later refuse to apply fixes computed for another version. No `vscode` here:
 * the analysis worker (analysis.worker.ts) builds the same host from the overlay a request carries.
 */
import type { Host } from '../core/host';
import type { FilePath } from '../core/model';

/** The open text of one editor document. */
export interface OverlayText {
  readonly text: string;
  readonly version: number;
}

/** Answers "is this file open in an editor, and with what text?" */
export type OverlaySource = (path: FilePath) => OverlayText | undefined;

export interface OverlayHost extends Host {
  /** Document versions read since the last `takeReadVersions()`, by path. */
  takeReadVersions(): Map<FilePath, number>;
}

const encoder = new TextEncoder();

export function createOverlayHost(base: Host, overlay: OverlaySource): OverlayHost {
  let readVersions = new Map<FilePath, number>();
  return {
    env: base.env,
    platform: base.platform,
    async readFile(path) {
      const open = overlay(path);
      if (!open) return base.readFile(path);
      readVersions.set(path, open.version);
      return encoder.encode(open.text);
    },
    async stat(path) {
      const open = overlay(path);
      if (!open) return base.stat(path);
      // The size must match the bytes readFile returns, or size limits would judge stale data.
      return { kind: 'file', size: encoder.encode(open.text).byteLength };
    },
    readDirectory: (path) => base.readDirectory(path),
    realPath: (path) => base.realPath(path),
    takeReadVersions() {
      const taken = readVersions;
      readVersions = new Map();
      return taken;
    },
  };
}
