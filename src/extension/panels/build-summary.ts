/**
 * A failed cargo build in a few lines a person reads: the first compiler errors with where
 * they are, paths relative to the workspace folder. The whole output goes to the build log.
 * vscode-free.
 */

const MAX_ERRORS = 3;
/** cargo's closing lines repeat what the errors above already said. */
const EPILOGUE = /^error: (could not compile|aborting due to)/;
const ERROR = /^error(\[E\d{4}\])?: /;
const LOCATION = /^\s*--> (.+)$/;

/** `text` with every absolute path under one of `roots` made relative to it. */
export function relativeToRoots(text: string, roots: readonly string[]): string {
  let out = text;
  for (const root of [...roots].sort((a, b) => b.length - a.length)) {
    const prefix = root.endsWith('/') ? root : `${root}/`;
    out = out.split(prefix).join('');
  }
  return out;
}

/** The first errors of cargo's stderr, each with its location; else the last lines cargo wrote. */
export function summarizeBuildOutput(output: string, roots: readonly string[]): string[] {
  const lines = output.split('\n');
  const errors: string[] = [];
  let total = 0;
  lines.forEach((line, index) => {
    if (!ERROR.test(line) || EPILOGUE.test(line)) return;
    total++;
    if (errors.length >= MAX_ERRORS) return;
    const location = lines
      .slice(index + 1, index + 4)
      .map((next) => LOCATION.exec(next)?.[1])
      .find((found) => found !== undefined);
    errors.push(location ? `${line} (${location})` : line);
  });
  if (errors.length === 0) {
    const epilogue = lines.filter((line) => EPILOGUE.test(line));
    const tail = lines.filter((line) => line.trim() !== '' && !line.startsWith('$ ')).slice(-2);
    errors.push(...(epilogue.length > 0 ? epilogue.slice(0, 1) : tail));
  }
  if (total > errors.length) errors.push(`… and ${total - errors.length} more error${total - errors.length === 1 ? '' : 's'}`);
  return errors.map((line) => relativeToRoots(line, roots));
}
