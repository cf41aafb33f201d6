import { resolve } from 'node:path';
import type { FilePath } from '../core/model';
import { toEnginePath } from '../node/node-host';

/** A command-line path as the engine spells it, resolved against the command's cwd. */
export function enginePath(cwd: string, path: string): FilePath {
  return toEnginePath(resolve(cwd, path));
}
