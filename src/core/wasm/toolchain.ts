/**
 * Which toolchain built a module, from what the module says about itself: the `producers`
 * section (WebAssembly tool-conventions `ProducersSection.md`), the custom sections and
 * imports a compiler always leaves, and function names. Rules use it to give advice in the
 * toolchain's own words.
 *
 * What real toolchains write (read from their binaries):
 * - rustc: language `Rust`, processed-by `rustc <version>` (plus `clang` when C was linked in);
 * - clang/wasi-sdk/Emscripten: language `C11`, `C99`, `C_plus_plus_14`…, or none, processed-by
 *   `clang …` (`Ubuntu clang …`, `Debian clang …`); Emscripten may add sdk `Emscripten`;
 * - Go (`GOARCH=wasm`): language `Go`, processed-by `Go cmd/compile`, and a `go:buildid`
 *   (`go.buildid` before Go 1.21) section; `GOOS=js` builds import module `go` or `gojs`;
 * - TinyGo: processed-by `TinyGo <version>` since 0.28, and a clang from TinyGo's or
 *   Espressif's LLVM fork before; its debug info claims language `C99`, so it is checked first;
 * - AssemblyScript: no producers section; `abort(message, fileName, line, column)` imported
 *   from `env`, runtime exports (`__new`, `__pin`…) or `~lib/` function names when kept.
 */
import type { ModuleReport } from './model';

export type Toolchain = 'rust' | 'c' | 'go' | 'tinygo' | 'assemblyscript' | 'unknown';

const C_LANGUAGE = /^(c|c\+\+|c\d\d|c_plus_plus(_\d\d)?|objc|objc\+\+)$/i;
const CLANG = /(^|\s)clang$/i;
/** Tools that may sit beside clang in a C build's processed-by list. */
const C_TOOLS = new Set(['lld', 'emscripten', 'binaryen', 'wabt', 'wasm-opt']);
const TINYGO_LLVM = /github\.com\/(tinygo-org|espressif)\/llvm-project/i;
const ASSEMBLYSCRIPT_RUNTIME = new Set(['__new', '__pin', '__unpin', '__collect', '__rtti_base']);

export function toolchainOf(module: ModuleReport): Toolchain {
  const languages = (module.producers?.language ?? []).map((p) => p.name.toLowerCase());
  const tools = module.producers?.processedBy ?? [];
  const toolNames = tools.map((p) => p.name.toLowerCase());
  const sdks = (module.producers?.sdk ?? []).map((p) => p.name.toLowerCase());

  if (toolNames.includes('tinygo') || tools.some((t) => CLANG.test(t.name) && TINYGO_LLVM.test(t.version))) return 'tinygo';
  if (
    languages.includes('go') ||
    toolNames.includes('go cmd/compile') ||
    module.customSections.some((s) => s.name === 'go:buildid' || s.name === 'go.buildid') ||
    module.imports.some((i) => i.module === 'go' || i.module === 'gojs')
  )
    return 'go';
  if (languages.includes('rust') || toolNames.includes('rustc')) return 'rust';
  // Other languages compiled through clang (Haskell's GHC, Swift, Zig…) name themselves: only C's names, or none, mean C.
  const cTools = toolNames.length > 0 && toolNames.every((t) => CLANG.test(t) || C_TOOLS.has(t));
  const cLanguages = languages.length > 0 && languages.every((l) => C_LANGUAGE.test(l));
  if ((cLanguages && (toolNames.length === 0 || cTools)) || (languages.length === 0 && (cTools || sdks.includes('emscripten')))) return 'c';
  if (isAssemblyScript(module)) return 'assemblyscript';
  return 'unknown';
}

function isAssemblyScript(module: ModuleReport): boolean {
  const abort = module.imports.find((i) => i.module === 'env' && i.name === 'abort' && i.kind === 'func');
  if (abort?.signature && abort.signature.params.length === 4 && abort.signature.params.every((p) => p === 'i32')) return true;
  if (module.exports.some((e) => ASSEMBLYSCRIPT_RUNTIME.has(e.name))) return true;
  return module.functions.names.someStartsWith('~lib/');
}
