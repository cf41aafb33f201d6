/** The rule registry: every rule the engine runs, in documentation order. */
import type { Rule } from './rule';

export const RULES: readonly Rule[] = [];

const byId = new Map(RULES.map((rule) => [rule.meta.id, rule]));

export function ruleById(id: string): Rule | undefined {
  return byId.get(id);
}
