import { binaryLocation } from '../wasm/rule-support';
import type { Rule } from './rule';
import docs from './wasm-malformed.md';

export const wasmMalformed: Rule = {
  meta: {
    id: 'wasm-malformed',
    title: 'Wasm binary cannot be decoded',
    category: 'binary',
    defaultSeverity: 'error',
    summary: "A .wasm file is malformed in the sense of the core spec's binary format: it cannot be decoded.",
    docs,
    sources: [
      'https://webassembly.github.io/spec/core/binary/index.html',
      'https://webassembly.github.io/spec/core/binary/modules.html#data-count-section',
      'https://webassembly.github.io/spec/core/binary/instructions.html#control-instructions',
      'https://github.com/WebAssembly/spec/blob/285a9032950cbad6a9f84de11183008e286092a2/specification/wasm-3.0/5.3-binary.instructions.spectec',
      'https://github.com/WebAssembly/component-model/blob/main/design/mvp/Binary.md',
      'https://github.com/git-lfs/git-lfs/blob/main/docs/spec.md',
    ],
    fix: 'none',
    measurable: false,
  },
  check(context) {
    for (const file of context.workspace.binaries.files) {
      const error = file.report?.error;
      if (!error) continue;
      context.report({
        message: `malformed at byte ${error.offset} (0x${error.offset.toString(16)}): ${error.message}`,
        location: binaryLocation(file.path, error.offset, Math.min(error.offset + 1, file.size)),
      });
    }
  },
};
