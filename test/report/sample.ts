/** Hand-made findings and sources for the formatter tests. */
import type { Finding, RuleMeta } from '../../src/core/model';
import type { ReportInput } from '../../src/core/report/json';
import { LineIndex } from '../../src/core/text/line-index';
import type { SourceFile } from '../../src/core/workspace/reader';

export const CWD = '/work/project';

export function source(path: string, text: string): SourceFile {
  return { path, text, lines: new LineIndex(text) };
}

export function sourcesOf(...files: SourceFile[]): Map<string, SourceFile> {
  return new Map(files.map((file) => [file.path, file]));
}

/** A finding whose span is the first occurrence of `needle` in `file`'s text. */
export function findingAt(file: SourceFile, needle: string, overrides: Partial<Finding> = {}): Finding {
  const start = file.text.indexOf(needle);
  if (start < 0) throw new Error(`'${needle}' not in ${file.path}`);
  return {
    ruleId: 'opt-level-size',
    severity: 'warning',
    message: 'opt-level "s" trades speed for size',
    location: { file: file.path, span: { start, end: start + needle.length } },
    evidence: [],
    fixes: [],
    ...overrides,
  };
}

export const RULE_METAS: readonly RuleMeta[] = [
  {
    id: 'opt-level-size',
    title: 'Release profile optimises for size',
    category: 'build',
    defaultSeverity: 'warning',
    summary: 'Finds release profiles built with opt-level "s" or "z".',
    docs: '# opt-level-size\n\nSize levels disable some speed optimisations.',
    sources: ['https://doc.rust-lang.org/cargo/reference/profiles.html#opt-level'],
    fix: 'none',
    measurable: false,
  },
  {
    id: 'wasm-no-simd',
    title: 'Binary uses no SIMD',
    category: 'binary',
    defaultSeverity: 'info',
    summary: 'Finds binaries built without simd128.',
    docs: '# wasm-no-simd\n\nEnable simd128.',
    sources: [],
    fix: 'none',
    measurable: false,
  },
];

export function reportInput(overrides: Partial<ReportInput> & Pick<ReportInput, 'findings' | 'sources'>): ReportInput {
  return {
    tool: { name: 'wasm-perf', version: '9.8.7' },
    cwd: CWD,
    roots: [CWD],
    notices: [],
    rules: RULE_METAS,
    ruleSettings: {},
    filesChecked: 3,
    ...overrides,
  };
}
