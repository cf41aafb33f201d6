/** POSIX-style path helpers over the host's '/'-separated absolute paths. */
export function dirname(path: string): string {
  const i = path.lastIndexOf('/');
  if (i <= 0) return '/';
  return path.slice(0, i);
}

export function basename(path: string): string {
  return path.slice(path.lastIndexOf('/') + 1);
}

export function join(...parts: string[]): string {
  // Hot in the cargo loader: an already normalized directory plus one plain name needs no normalizing.
  if (parts.length === 2) {
    const [base, name] = parts as [string, string];
    if (isPlainName(name) && isNormalizedAbsolute(base)) return base === '/' ? `/${name}` : `${base}/${name}`;
  }
  const joined = parts.filter((p) => p.length > 0).join('/');
  return normalize(joined);
}

/** One path segment that normalizing leaves alone (no '/', not '', '.' or '..'). */
function isPlainName(name: string): boolean {
  return name.length > 0 && name !== '.' && name !== '..' && !name.includes('/');
}

/** Absolute, no trailing '/', and no empty, '.' or '..' segments: `normalize` would return it unchanged. */
function isNormalizedAbsolute(path: string): boolean {
  if (path === '/') return true;
  if (path.charCodeAt(0) !== 47 || path.charCodeAt(path.length - 1) === 47) return false;
  return !path.includes('//') && !path.includes('/./') && !path.includes('/../') && !path.endsWith('/.') && !path.endsWith('/..');
}

export function normalize(path: string): string {
  if (isNormalizedAbsolute(path)) return path;
  const absolute = path.startsWith('/');
  const out: string[] = [];
  for (const part of path.split('/')) {
    if (part === '' || part === '.') continue;
    if (part === '..') {
      if (out.length > 0 && out[out.length - 1] !== '..') out.pop();
      else if (!absolute) out.push('..');
      continue;
    }
    out.push(part);
  }
  return (absolute ? '/' : '') + out.join('/');
}

export function relative(from: string, to: string): string {
  const a = normalize(from).split('/').filter(Boolean);
  const b = normalize(to).split('/').filter(Boolean);
  let i = 0;
  while (i < a.length && i < b.length && a[i] === b[i]) i++;
  return [...Array(a.length - i).fill('..'), ...b.slice(i)].join('/') || '.';
}

/** Directories from `path`'s own directory up to the filesystem root, nearest first. */
export function ancestors(dir: string): string[] {
  const out: string[] = [];
  let current = normalize(dir);
  for (;;) {
    out.push(current);
    const parent = dirname(current);
    if (parent === current) break;
    current = parent;
  }
  return out;
}

export function isInside(child: string, parent: string): boolean {
  const p = normalize(parent);
  const c = normalize(child);
  return c === p || c.startsWith(p === '/' ? '/' : `${p}/`);
}

/**
 * `path` relative to the deepest of `roots` that contains it ('/'-separated, no leading
 * slash), or its base name when no root contains it: what path-name conventions are judged on,
 * so that a workspace which itself lives under a directory called `tests` or `release` is not
 * taken for one.
 */
export function relativeToRoot(roots: readonly string[], path: string): string {
  let best: string | undefined;
  for (const root of roots) {
    const prefix = root.endsWith('/') ? root : `${root}/`;
    if ((path.startsWith(prefix) || path === root) && (best === undefined || root.length > best.length)) best = root;
  }
  if (best === undefined) return basename(path);
  return path.slice(best.length).replace(/^\/+/, '');
}
