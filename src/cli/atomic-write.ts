/**
 * Writing fixed files so a crash or a full disk never leaves half a file: the new text goes
 * to a temporary file in the same directory, is flushed to disk, then renamed over the
 * original (keeping its mode). Created files never replace a file that appeared meanwhile.
 */
import { constants, promises as nodeFs } from 'node:fs';
import { randomBytes } from 'node:crypto';
import { basename, dirname, join } from 'node:path';

/** The parts of `fs.promises` the writer uses (tests substitute failing ones). */
export type WriterFs = Pick<typeof nodeFs, 'open' | 'rename' | 'unlink' | 'link' | 'mkdir' | 'realpath' | 'stat' | 'access' | 'readFile'>;

/** A write that did not happen; the original file (if any) is unchanged. */
export class WriteRefusedError extends Error {
  override name = 'WriteRefusedError';
}

const UTF8_BOM = Uint8Array.of(0xef, 0xbb, 0xbf);
const lenientUtf8 = new TextDecoder('utf-8');

function hasBom(bytes: Uint8Array): boolean {
  return bytes.length >= 3 && bytes[0] === 0xef && bytes[1] === 0xbb && bytes[2] === 0xbf;
}

function temporaryPath(target: string): string {
  return join(dirname(target), `.${basename(target)}.wasm-perf-${process.pid}-${randomBytes(4).toString('hex')}.tmp`);
}

/** Writes and flushes a new file; `keep` gives the exact mode (and owner) to copy from an original. */
async function writeFlushed(
  fs: WriterFs,
  path: string,
  bytes: Uint8Array,
  keep?: { mode: number; uid: number; gid: number },
): Promise<void> {
  const handle = await fs.open(path, 'wx', keep?.mode ?? 0o666);
  try {
    await handle.writeFile(bytes);
    if (keep) {
      // `open` applied the umask; the fixed file keeps exactly the original's permissions.
      await handle.chmod(keep.mode);
      if (process.getuid?.() === 0) await handle.chown(keep.uid, keep.gid).catch(() => undefined);
    }
    await handle.sync();
  } finally {
    await handle.close();
  }
}

/** Flushes the directory entry of a rename; not every platform can open a directory. */
async function syncDirectory(fs: WriterFs, dir: string): Promise<void> {
  try {
    const handle = await fs.open(dir, 'r');
    try {
      await handle.sync();
    } finally {
      await handle.close();
    }
  } catch {
    // The rename itself succeeded; durability of the directory entry is best effort.
  }
}

/**
 * Replaces `path`'s text with `text`, but only if the file still holds `expected` (the text
 * the fixes were computed from). A UTF-8 byte order mark is kept. Symlinks are followed, so
 * the link stays a link.
 */
export async function replaceFileAtomically(path: string, expected: string, text: string, fs: WriterFs = nodeFs): Promise<void> {
  const target = await fs.realpath(path);
  const stat = await fs.stat(target);
  if (!stat.isFile()) throw new WriteRefusedError('not a regular file');
  // Root may write anything, but a file nobody may write is a user's decision to respect.
  if ((stat.mode & 0o222) === 0) throw new WriteRefusedError('file is read-only');
  await fs.access(target, constants.W_OK).catch(() => {
    throw new WriteRefusedError('permission denied');
  });
  const current = new Uint8Array(await fs.readFile(target));
  if (lenientUtf8.decode(current) !== expected) throw new WriteRefusedError('file changed on disk since it was analysed');
  const encoded = new TextEncoder().encode(text);
  const bytes = hasBom(current) ? concat(UTF8_BOM, encoded) : encoded;
  const temporary = temporaryPath(target);
  try {
    await writeFlushed(fs, temporary, bytes, { mode: stat.mode & 0o7777, uid: stat.uid, gid: stat.gid });
    await fs.rename(temporary, target);
  } catch (error) {
    await fs.unlink(temporary).catch(() => undefined);
    throw error;
  }
  await syncDirectory(fs, dirname(target));
}

const NO_HARD_LINKS = new Set(['EPERM', 'ENOTSUP', 'EOPNOTSUPP', 'EXDEV', 'ENOSYS']);

/** Creates `path` with `text`; fails (writing nothing) when the file already exists. */
export async function createFileExclusively(path: string, text: string, fs: WriterFs = nodeFs): Promise<void> {
  const bytes = new TextEncoder().encode(text);
  await fs.mkdir(dirname(path), { recursive: true });
  const temporary = temporaryPath(path);
  try {
    await writeFlushed(fs, temporary, bytes);
    // link() refuses an existing target, which rename() would silently replace.
    await fs.link(temporary, path);
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code ?? '';
    if (code === 'EEXIST') throw new WriteRefusedError('file already exists; not overwritten');
    if (!NO_HARD_LINKS.has(code)) throw error;
    // File systems without hard links: an exclusive create still never replaces a file.
    await writeFlushed(fs, path, bytes).catch((fallbackError: NodeJS.ErrnoException) => {
      throw fallbackError.code === 'EEXIST' ? new WriteRefusedError('file already exists; not overwritten') : fallbackError;
    });
  } finally {
    await fs.unlink(temporary).catch(() => undefined);
  }
  await syncDirectory(fs, dirname(path));
}

function concat(a: Uint8Array, b: Uint8Array): Uint8Array {
  const out = new Uint8Array(a.length + b.length);
  out.set(a, 0);
  out.set(b, a.length);
  return out;
}
