/**
 * The rule catalogue, by practice area. Each area folder keeps its own list so rules can
 * be added without touching the others.
 */
import type { Rule } from '../core/types.js';
import { rules as interpreter } from './interpreter/index.js';
import { rules as secureCoding } from './secure-coding/index.js';
import { rules as accessControl } from './access-control/index.js';
import { rules as sensitiveData } from './sensitive-data/index.js';
import { rules as database } from './database/index.js';
import { rules as dependencies } from './dependencies/index.js';
import { rules as logging } from './logging/index.js';
import { rules as education } from './education/index.js';

export const allRules: readonly Rule[] = [
  ...interpreter,
  ...secureCoding,
  ...accessControl,
  ...sensitiveData,
  ...database,
  ...dependencies,
  ...logging,
  ...education,
];

const byId = new Map<string, Rule>();
for (const rule of allRules) {
  byId.set(rule.meta.id, rule);
  for (const alias of rule.meta.aliases ?? []) byId.set(alias, rule);
}

/** Look a rule up by id or alias. */
export function findRule(id: string): Rule | undefined {
  return byId.get(id.toLowerCase());
}

export const unusedSuppressionRule: Rule = findRule('unused-suppression') as Rule;
