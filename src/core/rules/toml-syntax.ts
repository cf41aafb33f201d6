import { basename } from '../text/paths';
import type { Rule } from './rule';

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
    docs: `## Cargo file does not parse

The file is not valid TOML 1.0, or not valid UTF-8 (TOML files must be UTF-8). Cargo refuses to build with such a manifest or config, and wasm-perf cannot read its settings, so the other checks that depend on the file were skipped: for a manifest, the crate is not analysed at all; for a config file, its rustflags and profile settings are left out, so rustflags and profile findings may be incomplete.

The finding points at the offset where parsing stopped.

**Fix:** correct the syntax (the message names the problem), or re-save the file as UTF-8.`,
    sources: ['https://toml.io/en/v1.0.0', 'https://doc.rust-lang.org/cargo/reference/manifest.html'],
    fix: 'none',
    measurable: false,
  },
  check(context) {
    for (const problem of context.workspace.cargo.build?.problems ?? []) {
      context.report({
        message: `${basename(problem.file)} does not parse: ${problem.message}`,
        location: { file: problem.file, span: { start: problem.offset, end: problem.offset } },
        detail: `Checks that depend on this file were skipped: ${SKIPPED[problem.fileKind]}.`,
      });
    }
  },
};
