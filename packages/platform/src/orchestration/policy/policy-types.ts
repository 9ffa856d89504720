/**
 * Promotion policies: the rules a challenger must meet before it may replace the champion, the
 * facts they are judged on, and the decision, rule by rule.
 */

/** One rule of a policy, as parsed from its YAML/JSON form. */
export type PolicyRule =
  /** The challenger beats the champion on `metric` by at least `minImprovement`. */
  | { kind: 'improvement'; metric: string; minImprovement: number }
  /** No metric of `metrics` is worse than the champion's by more than `maxRegression`. */
  | { kind: 'regression'; metrics: string[]; maxRegression: number }
  /** The challenger's `metric` lies within absolute bounds. */
  | { kind: 'bounds'; metric: string; min?: number; max?: number }
  /** The validation suite of the pipeline passed. */
  | { kind: 'validation' }
  /** At most `maxShare` of the training window's columns drifted from the champion's data. */
  | { kind: 'drift'; maxShare: number }
  /** A person approves the decision. */
  | { kind: 'approval' }

export interface PromotionPolicy {
  rules: PolicyRule[]
}

export type MetricValues = Record<string, number>

/** What a policy is judged on. A fact a rule needs and that is absent fails that rule. */
export interface PolicyFacts {
  challenger: MetricValues
  /** Null when there is no champion yet: comparisons with it pass. */
  champion: MetricValues | null
  validation?: { passed: boolean }
  drift?: { share: number }
  approval?: { by: string; at: number } | null
}

export const DECISION_STATUSES = ['passed', 'failed', 'pending_approval'] as const
export type DecisionStatus = (typeof DECISION_STATUSES)[number]

export interface RuleResult {
  /** The rule as written, e.g. `roc_auc >= champion + 0.005`. */
  rule: string
  /** Null while the rule waits for a person (approval). */
  passed: boolean | null
  /** Why, with the numbers. */
  reason: string
}

export interface PolicyDecision {
  passed: boolean
  status: DecisionStatus
  rules: RuleResult[]
}

/** Metrics where a smaller value is better; every other metric is better when larger. */
export const LOWER_IS_BETTER: ReadonlySet<string> = new Set([
  'log_loss',
  'rmse',
  'mae',
  'mse',
  'brier',
])
