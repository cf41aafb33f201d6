/**
 * The binaries loader: reads every discovered `.wasm`, inspects it (cached by content),
 * validates it when it decoded, and keeps only the report, never the bytes. Unreadable
 * or too-large files become a `failure` plus a notice; placeholders (empty files, Git LFS
 * pointers) only a notice; malformed ones are reports with `error`, which the wasm-malformed
 * rule turns into findings.
 */
import type { LoadContext } from '../workspace/load-context';
import { isTestFile } from '../workspace/test-code';
import { bytesKey } from '../workspace/cache';
import { inspectWasm } from './inspect';
import type { BinaryFile, BinaryModel, WasmReport, WasmValidity } from './model';
import { ValidationWorker } from './validation-worker';
import { checkValidity } from './validity';

const PROGRESS_INTERVAL_MS = 100;

/**
 * Binaries under test, bench, fuzz, testdata and fixture paths are not even read unless
 * `includeTests` is set (a runtime's spec-test corpus holds thousands of deliberately invalid
 * modules); one notice per analysis says how many were skipped.
 */
export async function loadBinaries(context: LoadContext): Promise<BinaryModel> {
  const files: BinaryFile[] = [];
  const paths = context.files.binaries.filter((path) => context.settings.includeTests || !isTestFile(context.files.roots, path));
  const skipped = context.files.binaries.length - paths.length;
  // One validation thread for the whole analysis, started by the first module V8 rejects (wabt
  // says why): an analysis of valid modules starts none.
  const validator = new ValidationWorker(context.assets);
  try {
    let reportedAt = -Infinity;
    for (const [done, path] of paths.entries()) {
      if (context.signal?.aborted) break;
      // A few times a second at most: thousands of small files would otherwise redraw the line per file.
      if (paths.length > 1 && performance.now() - reportedAt >= PROGRESS_INTERVAL_MS) {
        reportedAt = performance.now();
        context.progress?.(`inspecting binaries (${done + 1}/${paths.length})`);
      }
      const file = await loadBinary(context, path, validator);
      if (file) files.push(file);
    }
  } finally {
    await validator.close();
  }
  if (skipped > 0) {
    context.notice({
      file: context.files.roots[0] ?? '/',
      kind: 'skipped',
      message: `skipped ${skipped} .wasm ${skipped === 1 ? 'file' : 'files'} in test and fixture paths; use --include-tests (VS Code: wasm-perf.includeTests) to check them`,
    });
  }
  return { files, unread: skipped };
}

const LFS_POINTER = new TextEncoder().encode('version https://git-lfs.github.com/spec/');

/**
 * Why a file named `.wasm` is a stand-in rather than a binary someone built: an empty
 * placeholder (tests often need only a path that exists), or a Git LFS pointer whose object was
 * never fetched. Neither is a broken build, so they get a notice instead of a finding.
 */
function placeholderOf(bytes: Uint8Array): string | undefined {
  if (bytes.length === 0) return 'empty file, not a wasm binary: skipped';
  if (bytes.length >= LFS_POINTER.length && LFS_POINTER.every((b, i) => bytes[i] === b))
    return 'a Git LFS pointer, not the binary: run `git lfs pull` to check it';
  return undefined;
}

/** The file's report and validity, or undefined for a placeholder (which gets a notice). */
async function loadBinary(context: LoadContext, path: string, validator: ValidationWorker): Promise<BinaryFile | undefined> {
  const read = await context.reader.readBytes(path, context.settings.maxBinaryBytes);
  if (!read.ok) {
    const failure = read.failure;
    context.notice({ file: path, kind: failure.kind === 'too-large' ? 'skipped' : 'unreadable', message: failure.message });
    return { path, size: failure.kind === 'too-large' ? failure.size : 0, failure };
  }
  const bytes = read.bytes;
  const placeholder = placeholderOf(bytes);
  if (placeholder) {
    context.notice({ file: path, kind: 'skipped', message: placeholder });
    return undefined;
  }
  const key = bytesKey(bytes);
  // Validity only feeds wasm-invalid: nothing to do when the rule is off.
  const wantValidity = context.settings.rules['wasm-invalid'] !== 'off';
  const report = context.cache.get<WasmReport>('wasm-report', path, key, () => inspectWasm(bytes));
  // Nothing to validate in a malformed file.
  if (report.error || !wantValidity) return { path, size: bytes.length, report: detached(report) };
  // Cached as a promise: a re-analysis of an unchanged file never validates again.
  const validity = await context.cache.get<Promise<WasmValidity>>('wasm-validity', path, key, () =>
    checkValidity(bytes, report, validator),
  );
  if (validity.status === 'unknown') context.notice({ file: path, kind: 'skipped', message: `validation skipped: ${validity.message}` });
  const unchecked = uncheckedComponentSections(report);
  if (unchecked.length > 0) {
    context.notice({
      file: path,
      kind: 'skipped',
      message: `component-level ${unchecked.join(', ')} ${unchecked.length === 1 ? 'section was' : 'sections were'} not checked: only the embedded core modules were decoded and validated`,
    });
  }
  return { path, size: bytes.length, report: detached(report), validity };
}

/**
 * The report without references into the file's bytes, which the model and the cache must not
 * keep alive. Done last, when validation no longer holds memory, so the copy adds little to the peak.
 */
function detached(report: WasmReport): WasmReport {
  for (const module of report.modules) module.functions.names.detach();
  return report;
}

const NESTED_COMPONENT = 4;

/**
 * The reader frames a component's sections but decodes only its core modules (nested ones too);
 * the rest (canon, types, imports, a nested component's own sections…) could be malformed or
 * invalid unseen, so a notice says so.
 */
function uncheckedComponentSections(report: WasmReport): string[] {
  if (report.kind !== 'component') return [];
  const names = (report.componentSections ?? [])
    .filter((s) => s.id !== 0 && s.id !== 1)
    .map((s) => (s.id === NESTED_COMPONENT ? 'nested component' : s.name));
  return [...new Set(names)];
}
