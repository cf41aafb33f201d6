import { basename } from '../text/paths';
import { binaryLocation } from '../wasm/rule-support';
import type { Rule } from './rule';

export const wasmInvalid: Rule = {
  meta: {
    id: 'wasm-invalid',
    title: 'Wasm binary decodes but does not validate',
    category: 'binary',
    defaultSeverity: 'error',
    summary: 'A .wasm module is well-formed but fails validation (type mismatch, bad index, …), so no engine will instantiate it.',
    docs: `## Wasm binary decodes but does not validate

A module can be well-formed (every byte decodes, see \`wasm-malformed\`) and still be invalid: an instruction sequence that does not type-check, an index out of range, a duplicate export name. Engines refuse such modules at compile time.

wasm-perf asks the running engine first (\`WebAssembly.validate\`, V8). A "no" only counts when the engine knows every proposal the module uses: the decoder collects those from opcodes, types and sections (SIMD and relaxed SIMD from \`0xFD\`, bulk memory and saturating truncation from \`0xFC\`, atomics from \`0xFE\`, GC from \`0xFB\`, memory64 and multi-memory from limits and memory arguments; facts §9, §11), and each is probed on the engine once. Node 20 ships V8 11.3, which lacks e.g. memory64, multi-memory, GC and relaxed SIMD; a module using those is not called invalid here. For a real "no", wabt (run in a worker thread, with every proposal it knows enabled) gives the detailed message and offset.

Features are also recorded in the \`target_features\` section when the linker kept it (facts §10.1).

**Fix:** this is a compiler, linker or post-processing bug (or a hand-edited file); rebuild, and report the message to the tool that wrote the binary.`,
    sources: [
      'https://webassembly.github.io/spec/core/valid/index.html',
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
        message: `${basename(file.path)} does not validate: ${validity.message}`,
        location: binaryLocation(file.path, offset, Math.min(offset + 1, file.size)),
        evidence: file.report ? [{ message: `features used: ${file.report.totals.features.join(', ') || 'none beyond the MVP'}` }] : [],
      });
    }
  },
};
