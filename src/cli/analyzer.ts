import { resolve } from 'node:path';
import { Analyzer } from '../core/engine';
import type { Host } from '../core/host';
import type { FilePath } from '../core/model';
import type { AnalyzerSettings } from '../core/settings';
import { createNodeHost, toEnginePath } from '../node/node-host';

/** The engine over the real file system; run-time assets (grammars) sit next to the bundle. */
export function createCliAnalyzer(settings: Partial<AnalyzerSettings>, host: Host = createNodeHost()): Analyzer {
  return new Analyzer(host, settings, { dir: __dirname });
}

/** A command-line path as the engine spells it, resolved against the command's cwd. */
export function enginePath(cwd: string, path: string): FilePath {
  return toEnginePath(resolve(cwd, path));
}
