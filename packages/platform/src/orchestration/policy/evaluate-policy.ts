import {
  LOWER_IS_BETTER,
  type DecisionStatus,
  type PolicyDecision,
  type PolicyFacts,
  type PolicyRule,
  type PromotionPolicy,
  type RuleResult,
} from './policy-types.js'

/** Measured values to 4 decimals; thresholds are shown as written. */
const fmt = (x: number) => x.toFixed(4)
// Differences such as 0.8120 - 0.8020 are not exactly 0.01 in binary: a bound met to within
// rounding is met.
const EPSILON = 1e-12

const lowerIsBetter = (metric: string) => LOWER_IS_BETTER.has(metric)

/** The rule as people write it, e.g. `roc_auc >= champion + 0.005`. */
export function ruleText(rule: PolicyRule): string {
  switch (rule.kind) {
    case 'improvement':
      return lowerIsBetter(rule.metric)
        ? `${rule.metric} <= champion - ${rule.minImprovement}`
        : `${rule.metric} >= champion + ${rule.minImprovement}`
    case 'regression':
      return `${rule.metrics.join(', ')} not worse than champion by more than ${rule.maxRegression}`
    case 'bounds':
      if (rule.min !== undefined && rule.max !== undefined) {
        return `${rule.min} <= ${rule.metric} <= ${rule.max}`
      }
      return rule.min !== undefined
        ? `${rule.metric} >= ${rule.min}`
        : `${rule.metric} <= ${rule.max}`
    case 'validation':
      return 'validation passed'
    case 'drift':
      return `drift share <= ${rule.maxShare}`
    case 'approval':
      return 'approval required'
  }
}

type Verdict = Omit<RuleResult, 'rule'>

const pass = (reason: string): Verdict => ({ passed: true, reason })
const fail = (reason: string): Verdict => ({ passed: false, reason })

function improvement(
  rule: Extract<PolicyRule, { kind: 'improvement' }>,
  facts: PolicyFacts,
): Verdict {
  const { metric, minImprovement: delta } = rule
  const ours = facts.challenger[metric]
  if (ours === undefined) return fail(`no challenger ${metric} given`)
  if (facts.champion === null) return pass('no champion')
  const theirs = facts.champion[metric]
  if (theirs === undefined) return fail(`no champion ${metric} given`)
  if (lowerIsBetter(metric)) {
    const bound = theirs - delta
    const ok = ours <= bound + EPSILON
    return {
      passed: ok,
      reason: `challenger ${metric} ${fmt(ours)} ${ok ? '≤' : '>'} champion ${fmt(theirs)} - ${delta} = ${fmt(bound)}`,
    }
  }
  const bound = theirs + delta
  const ok = ours >= bound - EPSILON
  return {
    passed: ok,
    reason: `challenger ${metric} ${fmt(ours)} ${ok ? '≥' : '<'} champion ${fmt(theirs)} + ${delta} = ${fmt(bound)}`,
  }
}

function regression(
  rule: Extract<PolicyRule, { kind: 'regression' }>,
  facts: PolicyFacts,
): Verdict {
  const champion = facts.champion
  const measured = rule.metrics.filter(
    (m) => facts.challenger[m] !== undefined || champion?.[m] !== undefined,
  )
  // A listed metric neither model has (rmse of a classifier) does not apply; one that only one
  // side has is a missing fact.
  if (measured.length === 0) return fail(`no challenger ${rule.metrics.join(', ')} given`)
  const missing = measured.find((m) => facts.challenger[m] === undefined)
  if (missing !== undefined) return fail(`no challenger ${missing} given`)
  if (champion === null) return pass('no champion')
  const missingChampion = measured.find((m) => champion[m] === undefined)
  if (missingChampion !== undefined) return fail(`no champion ${missingChampion} given`)
  const parts: string[] = []
  const worse: string[] = []
  for (const m of measured) {
    const ours = facts.challenger[m]!
    const theirs = champion[m]!
    const loss = lowerIsBetter(m) ? ours - theirs : theirs - ours
    const change =
      Math.abs(loss) <= EPSILON
        ? 'same'
        : loss > 0
          ? `worse by ${fmt(loss)}`
          : `better by ${fmt(-loss)}`
    parts.push(`${m} ${fmt(ours)} vs ${fmt(theirs)} (${change})`)
    if (loss > rule.maxRegression + EPSILON) worse.push(m)
  }
  const skipped = rule.metrics.filter((m) => !measured.includes(m))
  const details =
    parts.join(', ') + (skipped.length > 0 ? ` (${skipped.join(', ')} not measured)` : '')
  return worse.length === 0
    ? pass(`none worse by more than ${rule.maxRegression}: ${details}`)
    : fail(`${worse.join(' and ')} worse by more than ${rule.maxRegression}: ${details}`)
}

function bounds(rule: Extract<PolicyRule, { kind: 'bounds' }>, facts: PolicyFacts): Verdict {
  const value = facts.challenger[rule.metric]
  if (value === undefined) return fail(`no challenger ${rule.metric} given`)
  const parts: string[] = []
  let ok = true
  if (rule.min !== undefined) {
    const met = value >= rule.min
    ok &&= met
    parts.push(`${met ? '≥' : '<'} ${rule.min}`)
  }
  if (rule.max !== undefined) {
    const met = value <= rule.max
    ok &&= met
    parts.push(`${met ? '≤' : '>'} ${rule.max}`)
  }
  return { passed: ok, reason: `challenger ${rule.metric} ${fmt(value)} ${parts.join(' and ')}` }
}

function judge(rule: PolicyRule, facts: PolicyFacts): Verdict {
  switch (rule.kind) {
    case 'improvement':
      return improvement(rule, facts)
    case 'regression':
      return regression(rule, facts)
    case 'bounds':
      return bounds(rule, facts)
    case 'validation':
      if (facts.validation === undefined) return fail('no validation given')
      return facts.validation.passed
        ? pass('the validation suite passed')
        : fail('the validation suite failed')
    case 'drift': {
      if (facts.drift === undefined) return fail('no drift given')
      const share = facts.drift.share
      const ok = share <= rule.maxShare
      return { passed: ok, reason: `drift share ${fmt(share)} ${ok ? '≤' : '>'} ${rule.maxShare}` }
    }
    case 'approval': {
      const approval = facts.approval
      if (approval === undefined || approval === null) {
        return { passed: null, reason: 'awaiting approval' }
      }
      const at = new Date(approval.at).toISOString().replace(/\.\d{3}Z$/, 'Z')
      return pass(`approved by ${approval.by} at ${at}`)
    }
  }
}

/**
 * Judges every rule of the policy on the facts. The decision fails if any rule fails; it waits
 * for approval if the only rules not passed are approvals still to come.
 */
export function evaluatePolicy(policy: PromotionPolicy, facts: PolicyFacts): PolicyDecision {
  const rules = policy.rules.map((rule) => ({ rule: ruleText(rule), ...judge(rule, facts) }))
  const status: DecisionStatus = rules.some((r) => r.passed === false)
    ? 'failed'
    : rules.some((r) => r.passed === null)
      ? 'pending_approval'
      : 'passed'
  return { passed: status === 'passed', status, rules }
}
