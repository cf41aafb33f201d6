import { binaryLocation } from '../wasm/rule-support';
import type { Rule } from './rule';
import docs from './wasm-invalid.md';

export const wasmInvalid: Rule = {
  meta: {
    id: 'wasm-invalid',
    title: 'Wasm binary decodes but does not validate',
    category: 'binary',
    defaultSeverity: 'error',
    summary: 'A .wasm module is well-formed but fails validation (type mismatch, bad index, …), so no engine will instantiate it.',
    docs,
    sources: [
      'https://webassembly.github.io/spec/core/valid/index.html',
      'https://webassembly.github.io/spec/core/valid/instructions.html#memory-instructions',
      'https://webassembly.github.io/spec/core/valid/modules.html#data-segments',
      'https://webassembly.github.io/spec/core/valid/instructions.html#constant-expressions',
      'https://developer.mozilla.org/en-US/docs/WebAssembly/Reference/JavaScript_interface/validate_static',
      'https://github.com/WebAssembly/wabt',
    ],
    fix: 'none',
    measurable: false,
  },
  check(context) {
    for (const file of context.workspace.binaries.files) {
      const validity = file.validity;
      if (validity?.status !== 'invalid') continue;
      const offset = validity.offset ?? 0;
      context.report({
        message: `module does not validate: ${validity.message}`,
        location: binaryLocation(file.path, offset, Math.min(offset + 1, file.size)),
        evidence: file.report ? [{ message: `features used: ${file.report.totals.features.join(', ') || 'none beyond the MVP'}` }] : [],
      });
    }
  },
};
