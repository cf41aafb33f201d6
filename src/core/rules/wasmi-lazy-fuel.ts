import { at, enginesUsing, outOfSight, setterFor, settingFix, versionEvidence, versionsOf } from '../hostcode/rule-support';
import { compareVersions, parseVersion, versionBelow } from '../hostcode/versions';
import type { Fix } from '../model';
import type { Rule } from './rule';

/** wasmi prereleases that charged lazy compilation like `memset` (facts §5). */
function chargesLikeMemset(version: string): boolean {
  const v = parseVersion(version);
  const from = parseVersion('0.32.0-beta.3')!;
  const to = parseVersion('0.32.0-beta.9')!;
  return v !== undefined && compareVersions(v, from) >= 0 && compareVersions(v, to) < 0;
}

export const wasmiLazyFuel: Rule = {
  meta: {
    id: 'wasmi-lazy-fuel',
    title: 'wasmi charges fuel for lazy compilation',
    category: 'host',
    defaultSeverity: 'warning',
    summary: 'wasmi with fuel metering (`consume_fuel(true)`) and lazy compilation (explicit, or the default since wasmi 0.48) charges compile cost as fuel on each function\'s first call.',
    docs: `## wasmi charges fuel for lazy compilation

With lazy compilation wasmi translates a function when it is first called, and with fuel metering on it **charges that work as fuel** (PR 876, 2024-01-05). Since PR 988 (prerelease 0.32.0-beta.9, stable **0.32.0**) the charge is **7 fuel per byte** of the function body when only translation is lazy (\`CompilationMode::LazyTranslation\`: validation happens eagerly) and **9 fuel per byte** with \`CompilationMode::Lazy\` (validate and translate), constants \`COMPILE_FUEL_PER_BYTE = 7\`, \`VALIDATE_AND_COMPILE_FUEL_PER_BYTE = 9\` in \`crates/wasmi/src/engine/code_map/mod.rs\` (facts §5). A guest with a fuel budget tuned for execution can run out of fuel in the first call of a large function, and fuel consumption stops reflecting what the guest's code does.

**Version-dependent** (facts §5, §13):

- **wasmi ≥ 0.48.0** (2025-07-21, PR 1530): \`CompilationMode::LazyTranslation\` is the **default**. Any host that enables \`consume_fuel(true)\` now pays 7 fuel per function-body byte on first calls unless it selects \`CompilationMode::Eager\`.
- wasmi 0.32.0 – 0.47.x: the default is \`Eager\` (no compile fuel); only an explicit \`Lazy\`/\`LazyTranslation\` is affected.
- Prereleases **0.32.0-beta.3 – beta.8** charged lazy compilation like a bulk \`memory.*\` copy (\`FuelCosts::fuel_for_bytes\`, i.e. like \`memset\`): far below its real cost (issue 981 measured compilation 20–30x slower; PR 1005 about 60x \`memcpy\`+\`memset\`), so fuel under-counted. PR 988's text calls the new cost "56x/72x higher"; the code's 7/9 per byte are what is charged.
- Before 0.32 there is no lazy compilation.

The rule reads wasmi's version from Cargo.lock, or without a lock from a caret/exact requirement in Cargo.toml (\`"0.47"\` can only resolve to 0.47.x). With neither it assumes a current wasmi (default lazy).

**Fix:** \`config.compilation_mode(wasmi::CompilationMode::Eager);\` right after the config is built (the quick fix inserts it, or turns an explicit \`Lazy\`/\`LazyTranslation\` into \`Eager\`). Eager compilation costs start-up time for modules with many functions that are never called; if you need lazy compilation, budget fuel for it. A \`Config::fuel_costs\` API to customise these costs (\`CustomFuelCosts { fuel_per_bytes_translated, fuel_per_bytes_validated, … }\`, PR 2025) was merged after wasmi 2.0.0-beta.9 and was **not in a release** at the facts' snapshot.

**When to silence:** when fuel is only a coarse runaway guard with ample budget. Add \`// wasm-perf: allow(wasmi-lazy-fuel)\` on the line.`,
    sources: [
      'https://github.com/wasmi-labs/wasmi/blob/2abed01ec3f2176eaba6db0052adbd11e29c99f8/crates/wasmi/src/engine/config.rs',
      'https://github.com/wasmi-labs/wasmi/blob/2abed01ec3f2176eaba6db0052adbd11e29c99f8/CHANGELOG.md',
      'https://github.com/wasmi-labs/wasmi/issues/981',
      'https://github.com/wasmi-labs/wasmi/pull/988',
      'https://github.com/wasmi-labs/wasmi/pull/1005',
      'https://github.com/wasmi-labs/wasmi/pull/2025',
    ],
    fix: 'unsafe',
    measurable: false,
  },
  check(context) {
    const { workspace } = context;
    for (const file of workspace.hostCode.files) {
      if (file.language !== 'rust') continue;
      for (const config of file.configs) {
        if (config.runtime !== 'wasmi' || outOfSight(file, config, 'compilation_mode')) continue;
        const fuel = setterFor(config, 'consume_fuel');
        if (!fuel || /^false$/.test(fuel.argumentText)) continue;
        const mode = setterFor(config, 'compilation_mode');
        const explicit = mode ? /\b(LazyTranslation|Lazy)\b/.exec(mode.argumentText)?.[1] : undefined;
        if (mode && !explicit) continue; // Eager, or a value this file does not show
        const versions = versionsOf(workspace, file, 'wasmi');
        const locked = versions?.versions ?? [];
        if (locked.length > 0 && locked.every((v) => versionBelow(v, '0.32.0-beta.1'))) continue;
        if (!explicit && locked.length > 0 && locked.every((v) => versionBelow(v, '0.48.0'))) continue;
        const memset = locked.find(chargesLikeMemset);
        const perByte = explicit === 'Lazy' ? 9 : 7;
        const how = explicit ? `CompilationMode::${explicit}` : locked.length > 0 ? `the default lazy compilation of wasmi ${locked.join(', ')}` : 'lazy compilation (the default since wasmi 0.48)';
        const fix: Fix | undefined = mode && explicit
          ? {
            title: 'Use CompilationMode::Eager',
            preferred: true,
            applicability: 'unsafe',
            changes: [{ file: file.path, edits: [{ start: mode.argumentSpan.start, end: mode.argumentSpan.end, newText: mode.argumentText.replace(/\b(LazyTranslation|Lazy)\b/, 'Eager') }] }],
          }
          : settingFix(file, config, ['wasmi-eager-compilation'], 'unsafe');
        context.report({
          message: memset
            ? `wasmi ${memset} charges fuel for ${how} like a memset, far below its real cost, so fuel under-counts compilation`
            : `wasmi fuel metering with ${how} charges ${perByte} fuel per byte of each function body on its first call`,
          location: at(file, explicit && mode ? mode.span : config.span),
          detail: [
            memset
              ? 'wasmi 0.32.0-beta.3 – beta.8 priced lazy compilation like a bulk memory copy; 0.32.0 charges 7 (translation) or 9 (validation + translation) fuel per byte.'
              : `Each function is compiled on its first call and the work is charged as fuel (${perByte} per byte), so a fuel budget tuned for execution can run out in the first call of a large function.`,
            'Select CompilationMode::Eager to compile up front without fuel, or budget fuel for compilation. Config::fuel_costs (PR 2025) was not released at the time of writing.',
            fix ? undefined : 'No automatic fix: the config is not built in a statement this tool can extend.',
          ].filter(Boolean).join(' '),
          evidence: [
            { message: 'fuel metering is enabled here', location: at(file, fuel.span) },
            ...enginesUsing(file, config).map((engine) => ({ message: 'the engine built from this config', location: at(file, engine.span) })),
            ...versionEvidence(versions),
          ],
          fixes: fix ? [fix] : [],
        });
      }
    }
  },
};
