import { checkReleaseKey } from '../cargo/rule-support';
import type { Rule } from './rule';
import docs from './release-codegen-units.md';

export const releaseCodegenUnits: Rule = {
  meta: {
    id: 'release-codegen-units',
    title: 'Release build of a wasm crate with several codegen units',
    category: 'build',
    defaultSeverity: 'info',
    summary: 'The release profile of a wasm crate splits code generation into more than one codegen unit (the default is 16).',
    docs,
    sources: [
      'https://doc.rust-lang.org/cargo/reference/profiles.html#codegen-units',
      'https://github.com/bytecodealliance/cargo-component/pull/289',
    ],
    fix: 'safe',
    measurable: true,
  },
  check(context) {
    checkReleaseKey(context.workspace, context.report, {
      applicability: 'safe',
      key: 'codegen-units',
      isBad: (value) => typeof value === 'number' && value > 1,
      goodValue: '1',
      message: (setting) => `The release profile of a wasm crate uses ${setting.value} codegen units`,
    });
  },
};
