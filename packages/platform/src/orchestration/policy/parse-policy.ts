import { InvalidParameterError } from '@ballast/contracts'
import { parse as parseYaml } from 'yaml'
import type { PolicyRule, PromotionPolicy } from './policy-types.js'

/** A rule in its written (YAML/JSON) form. */
export type PolicyRuleDocument = Record<string, unknown>

function fail(source: string, field: string, why: string): never {
  throw new InvalidParameterError(`Invalid promotion policy in ${source}: '${field}' ${why}`)
}

const describe = (value: unknown) => JSON.stringify(value) ?? String(value)

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value)
}

function onlyKeys(rule: Record<string, unknown>, allowed: string[], source: string, at: string) {
  for (const key of Object.keys(rule)) {
    if (!allowed.includes(key)) {
      fail(source, `${at}.${key}`, `is not a field of this rule (it takes ${allowed.join(', ')})`)
    }
  }
}

function number(value: unknown, source: string, field: string, min = -Infinity): number {
  if (typeof value !== 'number' || !Number.isFinite(value)) {
    fail(source, field, `must be a number, got ${describe(value)}`)
  }
  if (value < min) fail(source, field, `must be at least ${min}, got ${value}`)
  return value
}

function metricName(value: unknown, source: string, field: string): string {
  if (typeof value !== 'string' || !/^[A-Za-z0-9_.-]+$/.test(value)) {
    fail(source, field, `must be a metric name such as roc_auc, got ${describe(value)}`)
  }
  return value
}

function parseRule(raw: unknown, source: string, at: string): PolicyRule {
  if (!isObject(raw)) fail(source, at, `must be an object, got ${describe(raw)}`)
  if ('metric' in raw) {
    const metric = metricName(raw.metric, source, `${at}.metric`)
    if ('min_improvement' in raw) {
      onlyKeys(raw, ['metric', 'min_improvement'], source, at)
      const minImprovement = number(raw.min_improvement, source, `${at}.min_improvement`)
      return { kind: 'improvement', metric, minImprovement }
    }
    onlyKeys(raw, ['metric', 'min', 'max'], source, at)
    if (raw.min === undefined && raw.max === undefined) {
      fail(source, at, `names metric ${metric} but neither min_improvement, min nor max`)
    }
    return {
      kind: 'bounds',
      metric,
      ...(raw.min === undefined ? {} : { min: number(raw.min, source, `${at}.min`) }),
      ...(raw.max === undefined ? {} : { max: number(raw.max, source, `${at}.max`) }),
    }
  }
  if ('metrics' in raw) {
    onlyKeys(raw, ['metrics', 'max_regression'], source, at)
    if (!Array.isArray(raw.metrics) || raw.metrics.length === 0) {
      fail(source, `${at}.metrics`, `must be a non-empty list of metric names`)
    }
    const metrics = raw.metrics.map((m, i) => metricName(m, source, `${at}.metrics[${i}]`))
    const maxRegression = number(raw.max_regression, source, `${at}.max_regression`, 0)
    return { kind: 'regression', metrics, maxRegression }
  }
  if ('validation' in raw) {
    onlyKeys(raw, ['validation'], source, at)
    if (raw.validation !== 'passed') {
      fail(source, `${at}.validation`, `must be "passed", got ${describe(raw.validation)}`)
    }
    return { kind: 'validation' }
  }
  if ('drift' in raw) {
    onlyKeys(raw, ['drift'], source, at)
    const drift = raw.drift
    if (!isObject(drift)) fail(source, `${at}.drift`, `must be { max_share: N }`)
    onlyKeys(drift, ['max_share'], source, `${at}.drift`)
    const maxShare = number(drift.max_share, source, `${at}.drift.max_share`, 0)
    if (maxShare > 1) fail(source, `${at}.drift.max_share`, `must be at most 1, got ${maxShare}`)
    return { kind: 'drift', maxShare }
  }
  if ('approval' in raw) {
    onlyKeys(raw, ['approval'], source, at)
    if (raw.approval !== 'required') {
      fail(source, `${at}.approval`, `must be "required", got ${describe(raw.approval)}`)
    }
    return { kind: 'approval' }
  }
  return fail(
    source,
    at,
    `is not a rule: expected one of metric, metrics, validation, drift, approval (got keys ${Object.keys(raw).join(', ') || 'none'})`,
  )
}

/**
 * A promotion policy from its YAML/JSON form (an object, or its text): `{rules: [...]}`. Errors
 * name `source` (a file, a step's field) and the field at fault.
 */
export function parsePolicy(value: unknown, source: string): PromotionPolicy {
  let doc = value
  if (typeof value === 'string') {
    try {
      doc = parseYaml(value) as unknown
    } catch (error) {
      throw new InvalidParameterError(
        `Invalid promotion policy in ${source}: not YAML or JSON (${(error as Error).message})`,
        { cause: error },
      )
    }
  }
  if (!isObject(doc)) fail(source, 'rules', `is missing: a policy is an object { rules: [...] }`)
  onlyKeys(doc, ['rules', 'description'], source, '(policy)')
  if (!Array.isArray(doc.rules) || doc.rules.length === 0) {
    fail(source, 'rules', `must be a non-empty list of rules, got ${describe(doc.rules)}`)
  }
  return { rules: doc.rules.map((rule, i) => parseRule(rule, source, `rules[${i}]`)) }
}

/** The policy in its written form: what is stored and shown, and parses back to the same. */
export function policyDocument(policy: PromotionPolicy): { rules: PolicyRuleDocument[] } {
  return {
    rules: policy.rules.map((rule): PolicyRuleDocument => {
      switch (rule.kind) {
        case 'improvement':
          return { metric: rule.metric, min_improvement: rule.minImprovement }
        case 'regression':
          return { metrics: rule.metrics, max_regression: rule.maxRegression }
        case 'bounds':
          return {
            metric: rule.metric,
            ...(rule.min === undefined ? {} : { min: rule.min }),
            ...(rule.max === undefined ? {} : { max: rule.max }),
          }
        case 'validation':
          return { validation: 'passed' }
        case 'drift':
          return { drift: { max_share: rule.maxShare } }
        case 'approval':
          return { approval: 'required' }
      }
    }),
  }
}
