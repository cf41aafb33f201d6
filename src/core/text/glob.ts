/**
 * Minimal glob matching for exclude settings: `**` (any number of path segments),
 * `*` (within a segment), `?`, and `{a,b}` alternatives. Paths use '/'.
 */
export function globToRegExp(glob: string): RegExp {
  let source = '';
  let i = 0;
  let inAlternatives = false;
  while (i < glob.length) {
    const c = glob[i]!;
    if (c === '*') {
      if (glob[i + 1] === '*') {
        const slashAfter = glob[i + 2] === '/';
        source += slashAfter ? '(?:.*/)?' : '.*';
        i += slashAfter ? 3 : 2;
        continue;
      }
      source += '[^/]*';
    } else if (c === '?') source += '[^/]';
    else if (c === '{') {
      inAlternatives = true;
      source += '(?:';
    } else if (c === '}' && inAlternatives) {
      inAlternatives = false;
      source += ')';
    } else if (c === ',' && inAlternatives) source += '|';
    else source += c.replace(/[.+^$()|[\]\\]/g, '\\$&');
    i++;
  }
  return new RegExp(`^${source}$`);
}

/** True when `relativePath` (or any of its parent directories) matches one of the globs. */
export function matchesAny(relativePath: string, globs: readonly RegExp[]): boolean {
  if (globs.length === 0) return false;
  const parts = relativePath.split('/');
  for (let n = parts.length; n > 0; n--) {
    const candidate = parts.slice(0, n).join('/');
    if (globs.some((g) => g.test(candidate))) return true;
  }
  return false;
}
