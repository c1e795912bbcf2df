/**
 * The configuration's rule policy, applied to the dependency findings the same way `scan()`
 * applies it to the tree-sitter rules (src/scan/index.ts selectRules / severityOverrides / keep):
 * `rules.disable`, `rules.enable`, `--rule` (onlyRules), `rules.severity`, `minSeverity`,
 * `minConfidence`. Ids and aliases are resolved through the catalogue.
 *
 * Kept here rather than imported from src/scan so that scan() can import the dependency
 * pipeline without an import cycle; scan may switch to these helpers later.
 */
import { CONFIDENCE_RANK, SEVERITY_RANK, type Finding, type Severity } from '../core/types.js';
import type { PysecConfig } from '../config/schema.js';
import { findRule } from '../rules/index.js';

const canonical = (id: string): string => findRule(id)?.meta.id ?? id.trim().toLowerCase();

export interface RulePolicy {
  /** Is the rule (by id or alias) turned on? */
  enabled(id: string): boolean;
  /** The configured severity override, if any. */
  severityOverride(id: string): Severity | undefined;
  /** minSeverity / minConfidence. */
  keep(finding: Pick<Finding, 'severity' | 'confidence'>): boolean;
}

export function rulePolicy(config: PysecConfig, onlyRules?: readonly string[]): RulePolicy {
  const disabled = new Set(config.rules.disable.map(canonical));
  const enabled = config.rules.enable ? new Set(config.rules.enable.map(canonical)) : null;
  const only = onlyRules ? new Set(onlyRules.map(canonical)) : null;
  const overrides = new Map<string, Severity>();
  for (const [id, sev] of Object.entries(config.rules.severity)) overrides.set(canonical(id), sev);
  return {
    enabled(id) {
      const c = canonical(id);
      return !disabled.has(c) && (!enabled || enabled.has(c)) && (!only || only.has(c));
    },
    severityOverride(id) {
      return overrides.get(canonical(id));
    },
    keep(f) {
      return SEVERITY_RANK[f.severity] >= SEVERITY_RANK[config.minSeverity] && CONFIDENCE_RANK[f.confidence] >= CONFIDENCE_RANK[config.minConfidence];
    },
  };
}
