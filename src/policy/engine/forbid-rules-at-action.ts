import type { Decision, TraceStep } from '../decision.js';
import type { Resource } from '../resource.js';
import { ruleMatches } from './compiled-rule.js';
import type { RuleAtAction } from './policy-model.js';
import { step } from './trace-step.js';

/**
 * Layer 6: the decision of the first (smallest id) forbid rule naming this action that matches
 * the request, or null. Rules are pure data, so which rules match never depends on their order.
 *
 * @internal
 */
export function firstMatchingRule(
  rules: readonly RuleAtAction[],
  resource: Resource,
  principalType: number,
  environment: number,
  trace?: TraceStep[],
): Decision | null {
  for (let i = 0; i < rules.length; i++) {
    const entry = rules[i]!;
    if (ruleMatches(entry.rule, resource, principalType, environment)) {
      const why = entry.rule.description === undefined ? '' : `: ${entry.rule.description}`;
      trace?.push(step(6, 'forbid_rules', 'deny', `forbid rule ${entry.rule.id} matches${why}`));
      return entry.decision;
    }
  }
  trace?.push(
    step(
      6,
      'forbid_rules',
      rules.length === 0 ? 'skip' : 'pass',
      `${rules.length} forbid rule(s) name this action; none matches`,
    ),
  );
  return null;
}
