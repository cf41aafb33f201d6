import { at, enginesUsing, outOfSight, setterFor, settingFix, versionEvidence, versionsOf } from '../hostcode/rule-support';
import { compareVersions, parseVersion, versionBelow } from '../hostcode/versions';
import type { Fix } from '../model';
import type { Rule } from './rule';
import docs from './wasmi-lazy-fuel.md';

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
    summary:
      "wasmi with fuel metering (`consume_fuel(true)`) and lazy compilation (explicit, or the default since wasmi 0.48) charges compile cost as fuel on each function's first call.",
    docs,
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
        const how = explicit
          ? `CompilationMode::${explicit}`
          : locked.length > 0
            ? `the default lazy compilation of wasmi ${locked.join(', ')}`
            : 'lazy compilation (the default since wasmi 0.48)';
        const fix: Fix | undefined =
          mode && explicit
            ? {
                title: 'Use CompilationMode::Eager',
                preferred: true,
                applicability: 'unsafe',
                changes: [
                  {
                    file: file.path,
                    edits: [
                      {
                        start: mode.argumentSpan.start,
                        end: mode.argumentSpan.end,
                        newText: mode.argumentText.replace(/\b(LazyTranslation|Lazy)\b/, 'Eager'),
                      },
                    ],
                  },
                ],
              }
            : settingFix(file, config, ['wasmi-eager-compilation'], 'unsafe');
        context.report({
          message: memset
            ? `wasmi ${memset} charges ${how} like a memset, so fuel under-counts compilation`
            : `fuel metering with ${how} charges ${perByte} fuel per byte of each function on its first call`,
          location: at(file, explicit && mode ? mode.span : config.span),
          detail:
            'A fuel budget tuned for execution can run out in the first call of a large function; use CompilationMode::Eager or budget fuel for compilation.',
          evidence: [
            { message: 'fuel metering enabled here', location: at(file, fuel.span) },
            ...enginesUsing(file, config).map((engine) => ({ message: 'engine built from this config', location: at(file, engine.span) })),
            ...versionEvidence(versions),
          ],
          fixes: fix ? [fix] : [],
        });
      }
    }
  },
};
