import { describe, expect, it } from 'vitest'
import { parsePolicy, policyDocument } from './parse-policy.js'

const YAML = `
rules:
  - metric: roc_auc            # challenger ≥ champion + min_improvement
    min_improvement: 0.005
  - metrics: [accuracy, f1, log_loss, rmse, mae]
    max_regression: 0.01
  - metric: accuracy
    min: 0.6
  - validation: passed
  - drift: { max_share: 0.5 }
  - approval: required
`

describe('parsePolicy', () => {
  it('reads every rule kind from YAML and writes it back the same', () => {
    const policy = parsePolicy(YAML, 'policy.yaml')
    expect(policy.rules).toEqual([
      { kind: 'improvement', metric: 'roc_auc', minImprovement: 0.005 },
      {
        kind: 'regression',
        metrics: ['accuracy', 'f1', 'log_loss', 'rmse', 'mae'],
        maxRegression: 0.01,
      },
      { kind: 'bounds', metric: 'accuracy', min: 0.6 },
      { kind: 'validation' },
      { kind: 'drift', maxShare: 0.5 },
      { kind: 'approval' },
    ])
    expect(parsePolicy(policyDocument(policy), 'stored')).toEqual(policy)
    expect(policyDocument(policy).rules[0]).toEqual({ metric: 'roc_auc', min_improvement: 0.005 })
  })

  it.each([
    [
      null,
      "Invalid promotion policy in p.yaml: 'rules' is missing: a policy is an object { rules: [...] }",
    ],
    [
      { rules: [] },
      "Invalid promotion policy in p.yaml: 'rules' must be a non-empty list of rules, got []",
    ],
    [
      { rules: [{ metric: 'roc_auc', min_improvement: '0.005' }] },
      `Invalid promotion policy in p.yaml: 'rules[0].min_improvement' must be a number, got "0.005"`,
    ],
    [
      { rules: [{ metric: 'roc_auc', min_improvment: 0.005 }] },
      "Invalid promotion policy in p.yaml: 'rules[0].min_improvment' is not a field of this rule (it takes metric, min, max)",
    ],
    [
      { rules: [{ metric: 'accuracy' }] },
      "Invalid promotion policy in p.yaml: 'rules[0]' names metric accuracy but neither min_improvement, min nor max",
    ],
    [
      { rules: [{ validation: 'passed' }, { metrics: ['f1'], max_regression: -1 }] },
      "Invalid promotion policy in p.yaml: 'rules[1].max_regression' must be at least 0, got -1",
    ],
    [
      { rules: [{ drift: { max_share: 1.5 } }] },
      "Invalid promotion policy in p.yaml: 'rules[0].drift.max_share' must be at most 1, got 1.5",
    ],
    [
      { rules: [{ approval: 'maybe' }] },
      `Invalid promotion policy in p.yaml: 'rules[0].approval' must be "required", got "maybe"`,
    ],
    [
      { rules: [{ owner: 'alice' }] },
      "Invalid promotion policy in p.yaml: 'rules[0]' is not a rule: expected one of metric, metrics, validation, drift, approval (got keys owner)",
    ],
    [
      { rules: [{ metrics: [], max_regression: 0.1 }] },
      "Invalid promotion policy in p.yaml: 'rules[0].metrics' must be a non-empty list of metric names",
    ],
  ])('rejects %j naming the source and field', (value, message) => {
    expect(() => parsePolicy(value, 'p.yaml')).toThrow(message)
    expect(() => parsePolicy(value, 'p.yaml')).toThrow(
      expect.objectContaining({ code: 'INVALID_PARAMETER_VALUE' }),
    )
  })

  it('names the source when the text is not YAML', () => {
    expect(() => parsePolicy('rules: [', 'steps.gate.with.policy')).toThrow(
      /^Invalid promotion policy in steps\.gate\.with\.policy: not YAML or JSON/,
    )
  })
})
