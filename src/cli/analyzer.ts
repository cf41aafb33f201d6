import { Analyzer } from '../core/engine';
import type { Host } from '../core/host';
import type { AnalyzerSettings } from '../core/settings';
import { createNodeHost } from '../node/node-host';

/** The engine over the real file system; run-time assets (grammars) sit next to the bundle. */
export function createCliAnalyzer(settings: Partial<AnalyzerSettings>, host: Host = createNodeHost()): Analyzer {
  return new Analyzer(host, settings, { dir: __dirname });
}
