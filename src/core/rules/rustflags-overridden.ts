import type { RustflagsAssignment } from '../cargo/model';
import { enablesSimd128, resolvedFlagsEnableSimd128, splitFlags } from '../cargo/rustflags';
import { SIMD_FLAGS } from '../cargo/rustflags-edit';
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
    const evidence: Evidence[] = [];
    const seen = new Set<string>();
    let configEnablesSimd = false;
    for (const { crate, build } of wasmCrates(context.workspace)) {
      for (const flags of build.rustflags) {
        if (flags.configFlags.length === 0) continue;
        flags.configFlags.forEach((f) => configFlags.add(f));
        configEnablesSimd ||= resolvedFlagsEnableSimd128(flags.configFlags);
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
    for (const assignment of model.scriptAssignments) {
      const assigned = assignment.variable === 'CARGO_ENCODED_RUSTFLAGS' ? assignment.value.split('\x1f') : splitFlags(assignment.value);
      const hasSimd = enablesSimd128(assigned);
      const lost = [...configFlags].filter((flag) => !assigned.includes(flag));
      if (hasSimd || lost.length === 0) continue;
      const fix = appendFix(assignment);
      context.report({
        message: configEnablesSimd
          ? `${assignment.variable} here replaces the rustflags of .cargo/config.toml, so +simd128 is lost in this build`
          : `${assignment.variable} here replaces the rustflags of .cargo/config.toml in this build`,
        location: { file: assignment.file, span: { start: assignment.nameSpan.start, end: assignment.valueSpan.end } },
        detail: `Cargo uses ${assignment.variable} instead of config rustflags, not in addition. Dropped: ${lost.join(' ')}.`,
        evidence,
        fixes: fix ? [fix] : [],
      });
    }
  },
};

function appendFix(assignment: RustflagsAssignment): Fix | undefined {
  if (assignment.variable !== 'RUSTFLAGS' || !assignment.append) return undefined;
  const flags = SIMD_FLAGS.join(' ');
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
