/**
 * Glob matching for `exclude` settings and Cargo `workspace.members`, by picomatch (the
 * matcher of micromatch, chokidar and fast-glob): `**`, `*`, `?`, `[ab]` classes, `{a,b}`
 * alternatives and extglobs, with dotfiles matched like any other name. Paths use '/'.
 * An unbalanced bracket, brace or parenthesis is an error (`globError` says which), never a
 * pattern that silently matches nothing.
 */
import picomatch from 'picomatch';

const OPTIONS: picomatch.PicomatchOptions = { dot: true, strictBrackets: true };

/** Why `glob` is not a valid pattern, or undefined when it is. */
export function globError(glob: string): string | undefined {
  try {
    picomatch.makeRe(glob, OPTIONS);
    return undefined;
  } catch (error) {
    return error instanceof Error ? error.message : String(error);
  }
}

/** The pattern as a regular expression over a whole '/'-separated relative path; throws on an invalid glob. */
export function globToRegExp(glob: string): RegExp {
  return picomatch.makeRe(glob, OPTIONS);
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
