/**
 * The code that changes one engine setting on a config, in each language and binding,
 * as offset edits: a statement right after the config is built (with that line's
 * indentation), or one more call spliced into a Rust builder chain. Imports the code
 * needs (Go `runtime`, Python `sys`) are added when missing.
 */
import type { TextEdit } from '../model';
import type { ConfigFact, HostFileFacts } from './model';
import { insertedLines } from './syntax';

export type SettingChange =
  /** Native unwind info off, except on Windows where wasmtime refuses to build such an engine. */
  | 'native-unwind-info-off'
  /** wasmtime < 13: the Cranelift flag that `native_unwind_info(false)` failed to clear. */
  | 'cranelift-unwind-info-off'
  | 'parallel-compilation-off'
  | 'wasmi-eager-compilation';

export interface SettingEdits {
  readonly edits: readonly TextEdit[];
  /** The main line of code the edit adds, for the fix title. */
  readonly code: string;
  /** The code stays correct on Windows (guarded or platform-dependent). */
  readonly windowsSafe: boolean;
}

/** Edits that apply `change` to `config`, or undefined when no valid edit is known. */
export function settingEdits(file: HostFileFacts, config: ConfigFact, change: SettingChange): SettingEdits | undefined {
  switch (file.language) {
    case 'rust':
      return rustEdits(config, change);
    case 'go':
      return goEdits(file, config, change);
    case 'python':
      return pythonEdits(file, config, change);
    case 'c':
    case 'cpp':
      return cFamilyEdits(config, change);
  }
}

function statementEdits(config: ConfigFact, lines: readonly string[], extra: readonly TextEdit[] = []): TextEdit[] | undefined {
  if (!config.insertAfter || !config.variable) return undefined;
  return [
    ...extra,
    { start: config.insertAfter.offset, end: config.insertAfter.offset, newText: insertedLines(config.insertAfter, lines) },
  ];
}

function rustEdits(config: ConfigFact, change: SettingChange): SettingEdits | undefined {
  const v = config.variable;
  if (v && config.insertAfter) {
    const mut = config.needsMutAt !== undefined ? [{ start: config.needsMutAt, end: config.needsMutAt, newText: 'mut ' }] : [];
    const statement = {
      'native-unwind-info-off': ['#[cfg(not(windows))]', `${v}.native_unwind_info(false);`],
      'cranelift-unwind-info-off': ['#[cfg(not(windows))]', `unsafe { ${v}.cranelift_flag_set("unwind_info", "false"); }`],
      'parallel-compilation-off': [`${v}.parallel_compilation(false);`],
      'wasmi-eager-compilation': [`${v}.compilation_mode(wasmi::CompilationMode::Eager);`],
    }[change];
    const edits = statementEdits(config, statement, mut);
    return edits ? { edits, code: statement[statement.length - 1]!, windowsSafe: true } : undefined;
  }
  if (config.chainInsertOffset === undefined) return undefined;
  // `#[cfg]` cannot guard one link of a chain; `cfg!(windows)` keeps unwind info on exactly where it is required.
  const link = {
    'native-unwind-info-off': '.native_unwind_info(cfg!(windows))',
    'cranelift-unwind-info-off': undefined, // an unsafe call cannot be spliced into a safe chain
    'parallel-compilation-off': '.parallel_compilation(false)',
    'wasmi-eager-compilation': '.compilation_mode(wasmi::CompilationMode::Eager)',
  }[change];
  if (!link) return undefined;
  return { edits: [{ start: config.chainInsertOffset, end: config.chainInsertOffset, newText: link }], code: link, windowsSafe: true };
}

/** The local name of an import (`runtime`, `sys`), plus the edit that adds it when missing. */
function importedName(file: HostFileFacts, module: string, importLine: string): { name: string; edits: TextEdit[] } | undefined {
  const { imported, importInsertion, takenNames } = file.imports;
  if (imported.includes(module)) return { name: module, edits: [] };
  const alias = imported.find((entry) => entry.endsWith(`=${module}`));
  if (alias) return { name: alias.slice(0, alias.indexOf('=')), edits: [] };
  if (!importInsertion || takenNames?.includes(module)) return undefined;
  const indent = file.language === 'go' && file.imports.importBlockIsGrouped ? importInsertion.indent : '';
  return {
    name: module,
    edits: [{ start: importInsertion.offset, end: importInsertion.offset, newText: insertedLines(importInsertion, [importLine], indent) }],
  };
}

function goEdits(file: HostFileFacts, config: ConfigFact, change: SettingChange): SettingEdits | undefined {
  const v = config.variable;
  if (change === 'parallel-compilation-off') {
    const code = `${v}.SetParallelCompilation(false)`;
    const edits = statementEdits(config, [code]);
    return edits ? { edits, code, windowsSafe: true } : undefined;
  }
  if (change !== 'native-unwind-info-off') return undefined;
  const runtime = importedName(file, 'runtime', file.imports.importBlockIsGrouped ? '"runtime"' : 'import "runtime"');
  const code = runtime ? `${v}.SetNativeUnwindInfo(${runtime.name}.GOOS == "windows")` : `${v}.SetNativeUnwindInfo(false)`;
  const edits = statementEdits(config, [code], runtime?.edits);
  return edits ? { edits, code, windowsSafe: runtime !== undefined } : undefined;
}

function pythonEdits(file: HostFileFacts, config: ConfigFact, change: SettingChange): SettingEdits | undefined {
  const v = config.variable;
  if (change === 'parallel-compilation-off') {
    const code = `${v}.parallel_compilation = False`;
    const edits = statementEdits(config, [code]);
    return edits ? { edits, code, windowsSafe: true } : undefined;
  }
  if (change !== 'native-unwind-info-off') return undefined;
  const sys = importedName(file, 'sys', 'import sys');
  const code = sys ? `${v}.native_unwind_info = ${sys.name}.platform == "win32"` : `${v}.native_unwind_info = False`;
  const edits = statementEdits(config, [code], sys?.edits);
  return edits ? { edits, code, windowsSafe: sys !== undefined } : undefined;
}

function cFamilyEdits(config: ConfigFact, change: SettingChange): SettingEdits | undefined {
  const v = config.variable;
  const cApi = config.constructorName === 'wasm_config_new';
  let code: string;
  if (change === 'native-unwind-info-off')
    code = cApi ? `wasmtime_config_native_unwind_info_set(${v}, false);` : `${v}.native_unwind_info(false);`;
  else if (change === 'parallel-compilation-off')
    code = cApi ? `wasmtime_config_parallel_compilation_set(${v}, false);` : `${v}.parallel_compilation(false);`;
  else return undefined;
  const lines = change === 'native-unwind-info-off' ? ['#ifndef _WIN32', code, '#endif'] : [code];
  const edits = statementEdits(config, lines);
  return edits ? { edits, code, windowsSafe: true } : undefined;
}
