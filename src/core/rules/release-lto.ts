import { checkReleaseKey } from '../cargo/rule-support';
import type { Rule } from './rule';
import docs from './release-lto.md';

export const releaseLto: Rule = {
  meta: {
    id: 'release-lto',
    title: 'Release build of a wasm crate without LTO',
    category: 'build',
    defaultSeverity: 'info',
    summary: 'The release profile of a wasm crate does not enable link-time optimization.',
    docs,
    sources: [
      'https://doc.rust-lang.org/cargo/reference/profiles.html#lto',
      'https://github.com/bytecodealliance/cargo-component/pull/369',
    ],
    fix: 'safe',
    measurable: true,
  },
  check(context) {
    checkReleaseKey(context.workspace, context.report, {
      applicability: 'safe',
      key: 'lto',
      isBad: (value) => value === false || value === 'off' || value === 'false',
      goodValue: 'true',
      message: () => 'The release profile of a wasm crate does not use LTO',
    });
  },
};
