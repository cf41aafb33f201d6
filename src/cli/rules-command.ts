/** `wasm-perf rules` (the list) and `wasm-perf explain RULE-ID` (one rule's documentation). */
import type { RuleMeta } from '../core/model';
import { printable } from '../core/report/display';
import { RULES, ruleById } from '../core/rules';
import { parseCommandArgs, UsageError } from './args';
import type { CliIo } from './io';

/** What a rule's fix applicability means for the user, in `explain`. */
const FIX_WORDS: Record<RuleMeta['fix'], string> = {
  safe: 'safe (applied by --fix and by fix-all in VS Code)',
  unsafe: 'unsafe (a trade-off or a feature a host may lack: applied only with --fix --unsafe-fixes, or one at a time in VS Code)',
  'display-only': 'suggestion only (shown, never applied automatically)',
  none: 'none (the finding says what to change)',
};

export function runRulesCommand(args: readonly string[], io: CliIo): number {
  const parsed = parseCommandArgs('rules', args, {});
  if (parsed.positionals.length > 0)
    throw new UsageError(`'rules' takes no arguments (did you mean 'wasm-perf explain ${parsed.positionals[0]}'?)`, 'rules');
  if (RULES.length === 0) {
    io.stdout('no rules are registered in this build\n');
    return 0;
  }
  const idWidth = Math.max(...RULES.map((rule) => rule.meta.id.length));
  const rows = RULES.map((rule) => `${rule.meta.id.padEnd(idWidth)}  ${rule.meta.defaultSeverity.padEnd(7)}  ${rule.meta.summary}`);
  io.stdout(`${'RULE'.padEnd(idWidth)}  DEFAULT  SUMMARY\n${rows.join('\n')}\n`);
  return 0;
}

export function runExplainCommand(args: readonly string[], io: CliIo): number {
  const parsed = parseCommandArgs('explain', args, {});
  if (parsed.positionals.length !== 1) throw new UsageError('explain expects exactly one rule id', 'explain');
  const id = parsed.positionals[0]!;
  const rule = ruleById(id);
  if (!rule) {
    const suggestion = closestRuleId(id);
    throw new UsageError(
      `unknown rule '${printable(id)}'${suggestion ? ` (did you mean '${suggestion}'?)` : ''}; run 'wasm-perf rules' to list them`,
      'explain',
    );
  }
  const { meta } = rule;
  const sources = meta.sources.length > 0 ? `\nSources:\n${meta.sources.map((s) => `  ${s}`).join('\n')}\n` : '';
  io.stdout(
    `${meta.id}: ${meta.title}\ncategory: ${meta.category}, default severity: ${meta.defaultSeverity}\nfixes: ${FIX_WORDS[meta.fix]}\n\n${meta.docs.trimEnd()}\n${sources}`,
  );
  return 0;
}

function closestRuleId(id: string): string | undefined {
  let best: { id: string; distance: number } | undefined;
  for (const rule of RULES) {
    const distance = editDistance(id, rule.meta.id);
    if (!best || distance < best.distance) best = { id: rule.meta.id, distance };
  }
  return best && best.distance <= Math.max(2, Math.floor(id.length / 3)) ? best.id : undefined;
}

function editDistance(a: string, b: string): number {
  let previous = Array.from({ length: b.length + 1 }, (_, i) => i);
  for (let i = 1; i <= a.length; i++) {
    const current = [i];
    for (let j = 1; j <= b.length; j++) {
      current[j] = Math.min(previous[j]! + 1, current[j - 1]! + 1, previous[j - 1]! + (a[i - 1] === b[j - 1] ? 0 : 1));
    }
    previous = current;
  }
  return previous[b.length]!;
}
