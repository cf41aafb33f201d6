/** Loading the engine bundle (see engine-bundle.ts) when it is first needed. */
import { join } from 'node:path';
import type * as EngineBundle from './engine-bundle';

export type Engine = typeof EngineBundle;
export type LoadEngine = () => Promise<Engine>;

/** The engine built next to the extension bundle, in `distDir`; loaded once. */
export function bundledEngine(distDir: string): LoadEngine {
  let engine: Engine | undefined;
  // A runtime require of a file esbuild does not see, so the engine stays out of extension.js.
  return async () => (engine ??= require(join(distDir, 'engine.js')) as Engine);
}
