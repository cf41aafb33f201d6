/**
 * `cargo build --target wasm32-…` commands in CI workflows, Makefiles, justfiles, package.json
 * scripts, shell scripts and README files: they make a crate a wasm crate even when its manifest
 * does not say so (a plain cdylib built for wasm by a Makefile). Each command names the crate it
 * builds by `-p`/`--package`, by `--manifest-path`, or by the directory it runs in (a `cd`, a
 * workflow's `working-directory`, or the script's own directory).
 */
import type { FilePath, Span } from '../model';
import { dirname, join, normalize } from '../text/paths';

export interface ScriptBuild {
  readonly file: FilePath;
  /** The target triple of the command. */
  readonly target: string;
  /** `-p NAME` / `--package NAME`. */
  readonly packageName?: string;
  /** Directory of `--manifest-path`, or where the command runs. */
  readonly dir: FilePath;
  readonly span: Span;
}

const CARGO_WASM_BUILD = /\bcargo\s+(?:\+\S+\s+)?(?:build|rustc|component\s+build)\b[^\n]*?--target[=\s]+["']?(wasm(?:32|64)-[\w.-]+)/g;

/** Every cargo command in `text` that builds for a wasm target. */
export function findScriptBuilds(file: FilePath, text: string): ScriptBuild[] {
  const out: ScriptBuild[] = [];
  const baseDir = repositoryRoot(file);
  for (const match of text.matchAll(CARGO_WASM_BUILD)) {
    const start = match.index;
    const lineStart = text.lastIndexOf('\n', start) + 1;
    const lineEnd = text.indexOf('\n', start);
    const line = text.slice(lineStart, lineEnd < 0 ? text.length : lineEnd);
    const packageName = /(?:-p|--package)[=\s]+["']?([\w-]+)/.exec(line)?.[1];
    const manifest = /--manifest-path[=\s]+["']?([^\s"']+)/.exec(line)?.[1];
    const cd = /\bcd\s+["']?([^\s"';&]+)/.exec(line.slice(0, start - lineStart))?.[1];
    const workingDirectory = workflowWorkingDirectory(text, lineStart);
    const relativeDir = manifest ? dirname(manifest) : (cd ?? workingDirectory);
    const dir = relativeDir ? normalize(join(baseDir, relativeDir)) : baseDir;
    out.push({ file, target: match[1]!, ...(packageName ? { packageName } : {}), dir, span: { start, end: start + match[0].length } });
  }
  return out;
}

/** Fenced code blocks of a Markdown file (``` or ~~~), as offsets into its text. */
const FENCED_BLOCK = /^([ \t]*)(```|~~~)[^\n]*\n([\s\S]*?)^\1\2[ \t]*$/gm;

/**
 * The cargo commands a README's code blocks give for building a wasm crate, as if they were a
 * script in the README's directory. Prose and inline code are not commands and do not count.
 */
export function findReadmeBuilds(file: FilePath, text: string): ScriptBuild[] {
  const out: ScriptBuild[] = [];
  for (const block of text.matchAll(FENCED_BLOCK)) {
    const bodyStart = block.index + block[0].indexOf('\n') + 1;
    const body = block[3]!;
    for (const build of findScriptBuilds(file, body)) {
      // In a shell session a `cd` on an earlier line still holds (unlike a Makefile recipe's lines).
      const before = body.slice(0, body.lastIndexOf('\n', build.span.start) + 1);
      const cd = [...before.matchAll(/^[ \t]*(?:\$[ \t]*)?cd[ \t]+["']?([^\s"';&]+)["']?[ \t]*$/gm)].pop()?.[1];
      const dir = cd && build.dir === dirname(file) ? normalize(join(dirname(file), cd)) : build.dir;
      out.push({ ...build, dir, span: { start: build.span.start + bodyStart, end: build.span.end + bodyStart } });
    }
  }
  return out;
}

/** Where a script's relative paths start: the repository root for CI configs kept in a dot directory, the script's own directory otherwise. */
function repositoryRoot(file: FilePath): FilePath {
  const ci = /^(.*)\/(?:\.github\/workflows|\.circleci)\/[^/]+$/.exec(file);
  return ci ? ci[1]! : dirname(file);
}

/** The `working-directory:` of the workflow step (a `- ` item) that holds `offset`. */
function workflowWorkingDirectory(text: string, offset: number): string | undefined {
  const starts = [...text.matchAll(/\n[ \t]*- /g)].map((m) => m.index);
  const start = [...starts].reverse().find((index) => index < offset) ?? 0;
  const end = starts.find((index) => index > offset) ?? text.length;
  return /working-directory:\s*["']?([^\s"']+)/.exec(text.slice(start, end))?.[1];
}
