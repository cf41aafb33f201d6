import { isTestFile } from '../workspace/test-code';
import { basename } from '../text/paths';
import type { Rule } from './rule';
import docs from './toml-syntax.md';

const SKIPPED: Record<string, string> = {
  manifest: 'the crate in it was not analysed',
  config: 'its settings were not used when resolving rustflags and profiles',
  toolchain: 'its targets were not used to decide which crates build for wasm',
  spin: 'its build commands were not used to decide which crates build for wasm',
  lockfile: 'locked versions from it are unknown',
};

export const tomlSyntax: Rule = {
  meta: {
    id: 'toml-syntax',
    title: 'Cargo file does not parse',
    category: 'input',
    defaultSeverity: 'error',
    summary: 'A Cargo.toml, .cargo/config.toml, rust-toolchain.toml, spin.toml or Cargo.lock that is not valid TOML or not UTF-8.',
    docs,
    sources: ['https://toml.io/en/v1.0.0', 'https://doc.rust-lang.org/cargo/reference/manifest.html'],
    fix: 'none',
    measurable: false,
  },
  check(context) {
    const { workspace } = context;
    for (const problem of workspace.cargo.build?.problems ?? []) {
      // Deliberately broken fixtures live in tests; templates with placeholders are reported as notices by the loader.
      if (!workspace.includeTests && isTestFile(workspace.roots, problem.file)) continue;
      context.report({
        message: `${basename(problem.file)} does not parse: ${problem.message}`,
        location: { file: problem.file, span: { start: problem.offset, end: problem.offset } },
        detail: `Checks that depend on this file were skipped: ${SKIPPED[problem.fileKind]}.`,
      });
    }
  },
};
