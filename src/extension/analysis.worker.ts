/**
 * The analysis thread (dist/analysis.js): runs the engine for the extension's local
 * workspace folders, so parsing manifests and sources and decoding binaries never blocks the
 * extension host. It reads files itself with node:fs, through the overlay of open editors
 * that each request carries. One Analyzer per folder keeps derived data between runs; a
 * folder analyses one request at a time, and a newer request for it cancels the older ones.
 */
import { parentPort, threadId, workerData } from 'node:worker_threads';
import { Analyzer } from '../core/engine';
import { describeError } from '../core/host';
import type { FilePath } from '../core/model';
import { createNodeHost } from '../node/node-host';
import {
  toWire,
  type AnalysisWorkerData,
  type AnalysisWorkerRequest,
  type AnalysisWorkerResponse,
  type AnalyzeRequest,
} from './analysis-protocol';
import { createOverlayHost, type OverlayHost, type OverlayText } from './overlay-host';

interface Folder {
  readonly analyzer: Analyzer;
  readonly host: OverlayHost;
  /** The open editors' text of the request being analysed. */
  readonly overlay: { current: ReadonlyMap<FilePath, OverlayText> };
  settingsKey: string;
  /** Requests not yet answered, oldest first; each waits for the one before it. */
  readonly waiting: Map<number, AbortController>;
  queue: Promise<void>;
}

const port = parentPort;
if (!port) throw new Error('analysis.worker.ts runs as a worker thread');
const { assetsDir } = workerData as AnalysisWorkerData;
const folders = new Map<FilePath, Folder>();

function folderFor(request: AnalyzeRequest): Folder {
  const existing = folders.get(request.root);
  if (existing) return existing;
  const overlay = { current: new Map<FilePath, OverlayText>() as ReadonlyMap<FilePath, OverlayText> };
  const host = createOverlayHost(createNodeHost(), (path) => overlay.current.get(path));
  const folder: Folder = {
    analyzer: new Analyzer(host, request.settings, { dir: assetsDir }),
    host,
    overlay,
    settingsKey: JSON.stringify(request.settings),
    waiting: new Map(),
    queue: Promise.resolve(),
  };
  folders.set(request.root, folder);
  return folder;
}

function post(response: AnalysisWorkerResponse): void {
  port!.postMessage(response);
}

function accept(request: AnalyzeRequest): void {
  const folder = folderFor(request);
  // Superseded: whatever runs or waits for this folder analyses text that is no longer current.
  for (const older of folder.waiting.values()) older.abort();
  // Deleted files must be forgotten even if this request is superseded in turn.
  if (request.forget.length > 0) folder.analyzer.forget(request.forget);
  const abort = new AbortController();
  folder.waiting.set(request.id, abort);
  folder.queue = folder.queue.then(() => run(folder, request, abort.signal)).finally(() => folder.waiting.delete(request.id));
}

async function run(folder: Folder, request: AnalyzeRequest, signal: AbortSignal): Promise<void> {
  if (signal.aborted) return post({ kind: 'cancelled', id: request.id });
  const settingsKey = JSON.stringify(request.settings);
  if (settingsKey !== folder.settingsKey) {
    folder.analyzer.updateSettings(request.settings);
    folder.settingsKey = settingsKey;
  }
  folder.overlay.current = request.overlay;
  folder.host.takeReadVersions(); // start recording afresh
  try {
    const result = await folder.analyzer.analyze([request.root], {
      signal,
      ...(request.changed ? { changed: request.changed } : {}),
    });
    if (signal.aborted) return post({ kind: 'cancelled', id: request.id });
    post({ kind: 'done', id: request.id, threadId, analysis: toWire(result), readVersions: folder.host.takeReadVersions() });
  } catch (error) {
    post({ kind: 'failed', id: request.id, message: error instanceof Error ? (error.stack ?? error.message) : describeError(error) });
  }
}

port.on('message', (request: AnalysisWorkerRequest) => {
  switch (request.kind) {
    case 'analyze':
      accept(request);
      break;
    case 'cancel':
      for (const folder of folders.values()) folder.waiting.get(request.id)?.abort();
      break;
    case 'close': {
      const folder = folders.get(request.root);
      for (const waiting of folder?.waiting.values() ?? []) waiting.abort();
      folders.delete(request.root);
      break;
    }
  }
});
