/** Hosts for tests: the real file system, optionally with in-memory overlays (unsaved or fixed text). */
import { join } from 'node:path';
import type { Assets, Host } from '../../src/core/host';
import { HostError } from '../../src/core/host';
import { createNodeHost } from '../../src/node/node-host';

/** Assets built by `npm run build` (tests always run after the build). */
export function testAssets(): Assets {
  return { dir: join(process.cwd(), 'dist') };
}

/**
 * The node host with some files replaced (or added) by in-memory text, like an editor's
 * unsaved buffers; `deleted` paths read as missing.
 */
export function overlayHost(
  overlays: ReadonlyMap<string, string>,
  options: { env?: Record<string, string | undefined>; platform?: NodeJS.Platform; deleted?: ReadonlySet<string> } = {},
): Host {
  const base = createNodeHost({ env: options.env ?? {}, ...(options.platform ? { platform: options.platform } : {}) });
  const deleted = options.deleted ?? new Set<string>();
  const encoder = new TextEncoder();
  const missing = (path: string) => new HostError(`ENOENT: ${path}`, 'ENOENT');
  return {
    ...base,
    async readFile(path) {
      if (deleted.has(path)) throw missing(path);
      const text = overlays.get(path);
      return text !== undefined ? encoder.encode(text) : base.readFile(path);
    },
    async stat(path) {
      if (deleted.has(path)) throw missing(path);
      const text = overlays.get(path);
      if (text !== undefined) return { kind: 'file', size: encoder.encode(text).length };
      return base.stat(path);
    },
    async readDirectory(path) {
      let entries: { name: string; kind: 'file' | 'directory' | 'symlink' | 'other' }[] = [];
      try {
        entries = [...(await base.readDirectory(path))];
      } catch (error) {
        if (![...overlays.keys()].some((p) => p.startsWith(`${path}/`))) throw error;
      }
      entries = entries.filter((e) => !deleted.has(`${path}/${e.name}`));
      for (const file of overlays.keys()) {
        if (!file.startsWith(`${path}/`)) continue;
        const rest = file.slice(path.length + 1);
        const name = rest.split('/')[0]!;
        const kind = rest.includes('/') ? 'directory' : 'file';
        if (!entries.some((e) => e.name === name)) entries.push({ name, kind });
      }
      return entries;
    },
    async realPath(path) {
      if (overlays.has(path)) return path;
      try {
        return await base.realPath(path);
      } catch (error) {
        if ([...overlays.keys()].some((p) => p.startsWith(`${path}/`))) return path;
        throw error;
      }
    },
  };
}
