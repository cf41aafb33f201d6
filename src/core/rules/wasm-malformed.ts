import { basename } from '../text/paths';
import { binaryLocation } from '../wasm/rule-support';
import type { Rule } from './rule';

export const wasmMalformed: Rule = {
  meta: {
    id: 'wasm-malformed',
    title: 'Wasm binary cannot be decoded',
    category: 'binary',
    defaultSeverity: 'error',
    summary: 'A .wasm file is malformed in the sense of the core spec\'s binary format: it cannot be decoded.',
    docs: `## Wasm binary cannot be decoded

wasm-perf reads every \`.wasm\` it finds with its own strict decoder, the one that also counts SIMD instructions (facts §11) and reads \`producers\`/\`target_features\` (facts §10). It stops at the first thing the WebAssembly core specification's binary format calls *malformed* and reports the byte offset and what was expected there:

- a wrong magic number or version, or an empty or truncated file;
- a bad or over-long LEB128 integer (a u32 takes at most 5 bytes, and unused bits of the last byte must be zero or sign bits);
- a section whose declared size disagrees with its contents, an unknown section id, sections out of order or duplicated;
- an unknown opcode, or immediates that run past the end of a function body (the layouts of \`0xFC\`, \`0xFD\`, \`0xFE\` and \`0xFB\` instructions are in facts §11);
- a name that is not valid UTF-8;
- a function section and code section of different lengths, or a body whose final \`end\` is missing.

Components (preamble version \`0x0d 0x00\`, layer \`0x01 0x00\`) are recognised and are not malformed; their embedded core modules are decoded the same way.

Such a file fails to load in every engine. It is usually a partial write (an interrupted build or download), a file that is not wasm at all, or a tool bug. Features the binary uses that a given engine lacks are *not* malformations (facts §9 on target features); see \`wasm-invalid\`.

**Fix:** rebuild the file; if a tool produced it, report the offset and message to the tool.`,
    sources: [
      'https://webassembly.github.io/spec/core/binary/index.html',
      'https://github.com/WebAssembly/spec/blob/285a9032950cbad6a9f84de11183008e286092a2/specification/wasm-3.0/5.3-binary.instructions.spectec',
      'https://github.com/WebAssembly/component-model/blob/main/design/mvp/Binary.md',
    ],
    fix: 'none',
    measurable: false,
  },
  check(context) {
    for (const file of context.workspace.binaries.files) {
      const error = file.report?.error;
      if (!error) continue;
      context.report({
        message: `${basename(file.path)} is malformed at byte ${error.offset}: ${error.message}`,
        location: binaryLocation(file.path, error.offset, Math.min(error.offset + 1, file.size)),
        evidence: [{ message: `${file.size} bytes; decoding stopped at offset ${error.offset} (0x${error.offset.toString(16)})` }],
      });
    }
  },
};
