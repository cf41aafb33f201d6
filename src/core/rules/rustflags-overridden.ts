import type { EffectiveRustflags, RustflagsAssignment } from '../cargo/model';
import { enablesSimd128, splitFlags } from '../cargo/rustflags';
import { wasmCrates } from '../cargo/rule-support';
import type { Evidence, Fix } from '../model';
import type { Rule } from './rule';
import docs from './rustflags-overridden.md';

export const rustflagsOverridden: Rule = {
  meta: {
    id: 'rustflags-overridden',
    title: 'RUSTFLAGS in a script replaces the config rustflags',
    category: 'build',
    defaultSeverity: 'warning',
    summary:
      'A RUSTFLAGS or CARGO_ENCODED_RUSTFLAGS assignment in a CI workflow, Makefile, justfile, package.json or shell script silently replaces the rustflags of .cargo/config.toml, so +simd128 is lost in that build.',
    docs,
    sources: [
      'https://doc.rust-lang.org/cargo/reference/config.html#buildrustflags',
      'https://doc.rust-lang.org/cargo/reference/environment-variables.html',
    ],
    fix: 'safe',
    measurable: false,
  },
  check(context) {
    const model = context.workspace.cargo.build;
    if (!model) return;
    const configFlags = new Set<string>();
    const configFlagLists = new Set<readonly string[]>();
    const evidence: Evidence[] = [];
    const seen = new Set<string>();
    let configEnablesSimd = false;
    // Crates under the same config files share their rustflags object: each is looked at once.
    const seenFlags = new Set<EffectiveRustflags>();
    for (const { crate, build } of wasmCrates(context.workspace)) {
      for (const flags of build.rustflags) {
        if (flags.configFlags.length === 0 || seenFlags.has(flags)) continue;
        seenFlags.add(flags);
        flags.configFlags.forEach((f) => configFlags.add(f));
        configFlagLists.add(flags.configFlags);
        configEnablesSimd ||= enablesSimd128(flags.configFlags);
        for (const { source, flags: written } of flags.definitions) {
          if (source.kind !== 'file') continue;
          // Crates sharing a config file share its definitions: name each place once.
          const place = `${source.file}\0${source.valueSpan.start}`;
          if (seen.has(place)) continue;
          seen.add(place);
          evidence.push({
            message: `rustflags for ${flags.target} of ${crate.name}: ${written.join(' ')}`,
            location: { file: source.file, span: source.valueSpan },
          });
        }
      }
    }
    if (configFlags.size === 0) return;
    const configUnits = flagUnits([...configFlagLists].flat());
    const scripts = new Map(context.workspace.scripts.map((script) => [script.path, script.text]));
    const everyBuildIsWasm = wasmCrates(context.workspace).some(({ crate }) => crate.wasm?.defaultTargetIsWasm === true);
    for (const assignment of model.scriptAssignments) {
      // A native job (`cargo test`, a `target-cpu=native` bench) never reads the wasm rustflags.
      if (!everyBuildIsWasm && !buildsWasm(scripts.get(assignment.file) ?? '', assignment)) continue;
      const assigned = assignment.variable === 'CARGO_ENCODED_RUSTFLAGS' ? assignment.value.split('\x1f') : splitFlags(assignment.value);
      const assignedUnits = new Set(flagUnits(assigned));
      const lost = configUnits.filter((unit) => !assignedUnits.has(unit));
      if (lost.length === 0) continue;
      const losesSimd = configEnablesSimd && !enablesSimd128(assigned);
      const fix = appendFix(assignment, lost);
      context.report({
        message: losesSimd
          ? `${assignment.variable} here replaces the config rustflags of a wasm build, so +simd128 is lost`
          : `${assignment.variable} here replaces the config rustflags of a wasm build`,
        location: { file: assignment.file, span: { start: assignment.nameSpan.start, end: assignment.valueSpan.end } },
        detail: `Cargo uses ${assignment.variable} instead of the config rustflags, not in addition; this drops ${lost.join(' ')}.`,
        evidence,
        fixes: fix ? [fix] : [],
      });
    }
  },
};

/** Flags as units: `-C opt` (or `-Copt`) and `--cfg x` with their value, so a lost value is never appended alone. */
export function flagUnits(flags: readonly string[]): string[] {
  const units: string[] = [];
  for (let i = 0; i < flags.length; i++) {
    const flag = flags[i]!;
    if (/^(?:-C|-Z|--cfg|-L|-l|--cap-lints|-W|-A|-D|-F)$/.test(flag) && i + 1 < flags.length) units.push(`${flag} ${flags[++i]}`);
    else if (/^-[CZ]\S/.test(flag)) units.push(`${flag.slice(0, 2)} ${flag.slice(2)}`);
    else units.push(flag);
  }
  return [...new Set(units)];
}

const WASM_BUILD =
  /--target[= ]+["']?wasm(?:32|64)|\bwasm(?:32|64)-|\bwasm-pack\b|\bcargo[- ]component\b|\bspin build\b|\btrunk build\b|\bwasm-bindgen\b|CARGO_BUILD_TARGET/;

/**
 * Whether the build an assignment applies to targets wasm: in a CI workflow the job around it
 * (or the whole workflow for a top-level `env:`), elsewhere its own command line when a command
 * follows the assignment, and the whole script otherwise.
 */
function buildsWasm(text: string, assignment: RustflagsAssignment): boolean {
  const lineStart = text.lastIndexOf('\n', assignment.nameSpan.start - 1) + 1;
  const lineEnd = text.indexOf('\n', assignment.valueSpan.end);
  const line = text.slice(lineStart, lineEnd < 0 ? text.length : lineEnd);
  if (/\.ya?ml$/.test(assignment.file)) {
    const jobs = [...text.matchAll(/^ {2}[\w-]+:\s*$/gm)].map((m) => m.index);
    const start = [...jobs].reverse().find((index) => index < assignment.nameSpan.start);
    if (start === undefined || !/^jobs:/m.test(text.slice(0, start))) return WASM_BUILD.test(text);
    const end = jobs.find((index) => index > start) ?? text.length;
    return WASM_BUILD.test(text.slice(start, end));
  }
  // A command after the assignment on its line (`RUSTFLAGS=… cargo build …`) is the build it applies to;
  // an assignment alone on its line (`export RUSTFLAGS = …  # comment`) applies to the whole script.
  const command = line
    .slice(assignment.valueSpan.end - lineStart)
    .replace(/(^|\s)#.*$/, '')
    .replace(/^[\s;&|"',]+/, '');
  return command.length > 0 ? WASM_BUILD.test(line) : WASM_BUILD.test(text);
}

function appendFix(assignment: RustflagsAssignment, lost: readonly string[]): Fix | undefined {
  if (assignment.variable !== 'RUSTFLAGS' || !assignment.append) return undefined;
  const flags = lost.join(' ');
  const edit =
    'wrap' in assignment.append
      ? {
          start: assignment.valueSpan.start,
          end: assignment.valueSpan.end,
          newText: `${assignment.append.wrap}${[assignment.value, flags].filter(Boolean).join(' ')}${assignment.append.wrap}`,
        }
      : { start: assignment.append.offset, end: assignment.append.offset, newText: `${assignment.append.separator}${flags}` };
  return {
    title: `Append ${flags} to ${assignment.variable}`,
    preferred: true,
    applicability: 'safe',
    changes: [{ file: assignment.file, edits: [edit] }],
  };
}
