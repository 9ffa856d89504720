import { describe, expect, it } from 'vitest'
import { evaluatePolicy } from './evaluate-policy.js'
import { parsePolicy } from './parse-policy.js'
import type { PolicyFacts } from './policy-types.js'

const policy = (rules: unknown[]) => parsePolicy({ rules }, 'test')

const CHALLENGER = { roc_auc: 0.7312, accuracy: 0.801, f1: 0.5, log_loss: 0.41 }
const CHAMPION = { roc_auc: 0.7241, accuracy: 0.812, f1: 0.49, log_loss: 0.45 }
const facts = (more: Partial<PolicyFacts> = {}): PolicyFacts => ({
  challenger: CHALLENGER,
  champion: CHAMPION,
  ...more,
})

const only = (rules: unknown[], f: PolicyFacts) => evaluatePolicy(policy(rules), f).rules[0]

describe('evaluatePolicy', () => {
  it('improvement: passes at the bound with the numbers, fails below it', () => {
    expect(only([{ metric: 'roc_auc', min_improvement: 0.005 }], facts())).toEqual({
      rule: 'roc_auc >= champion + 0.005',
      passed: true,
      reason: 'challenger roc_auc 0.7312 ≥ champion 0.7241 + 0.005 = 0.7291',
    })
    expect(only([{ metric: 'roc_auc', min_improvement: 0.01 }], facts())).toEqual({
      rule: 'roc_auc >= champion + 0.01',
      passed: false,
      reason: 'challenger roc_auc 0.7312 < champion 0.7241 + 0.01 = 0.7341',
    })
    // The exact bound passes although 0.7241 + 0.0071 is not 0.7312 in binary.
    expect(only([{ metric: 'roc_auc', min_improvement: 0.0071 }], facts())?.passed).toBe(true)
  })

  it('improvement of a lower-is-better metric subtracts', () => {
    expect(only([{ metric: 'log_loss', min_improvement: 0.03 }], facts())).toEqual({
      rule: 'log_loss <= champion - 0.03',
      passed: true,
      reason: 'challenger log_loss 0.4100 ≤ champion 0.4500 - 0.03 = 0.4200',
    })
    expect(only([{ metric: 'log_loss', min_improvement: 0.05 }], facts())).toMatchObject({
      passed: false,
      reason: 'challenger log_loss 0.4100 > champion 0.4500 - 0.05 = 0.4000',
    })
  })

  it('compares with no champion as passing, and fails on a missing metric', () => {
    const rules = [
      { metric: 'roc_auc', min_improvement: 0.005 },
      { metrics: ['accuracy'], max_regression: 0.01 },
    ]
    expect(evaluatePolicy(policy(rules), facts({ champion: null })).rules).toEqual([
      { rule: 'roc_auc >= champion + 0.005', passed: true, reason: 'no champion' },
      {
        rule: 'accuracy not worse than champion by more than 0.01',
        passed: true,
        reason: 'no champion',
      },
    ])
    expect(only([{ metric: 'r2', min_improvement: 0 }], facts())).toMatchObject({
      passed: false,
      reason: 'no challenger r2 given',
    })
    expect(
      only([{ metric: 'roc_auc', min_improvement: 0 }], facts({ champion: { accuracy: 0.8 } })),
    ).toMatchObject({ passed: false, reason: 'no champion roc_auc given' })
  })

  it('regression: each measured metric by its direction; unmeasured ones do not apply', () => {
    const rule = { metrics: ['accuracy', 'f1', 'log_loss', 'rmse', 'mae'], max_regression: 0.02 }
    expect(only([rule], facts())).toEqual({
      rule: 'accuracy, f1, log_loss, rmse, mae not worse than champion by more than 0.02',
      passed: true,
      reason:
        'none worse by more than 0.02: accuracy 0.8010 vs 0.8120 (worse by 0.0110), ' +
        'f1 0.5000 vs 0.4900 (better by 0.0100), log_loss 0.4100 vs 0.4500 (better by 0.0400) ' +
        '(rmse, mae not measured)',
    })
    expect(only([{ ...rule, max_regression: 0.01 }], facts())).toMatchObject({
      passed: false,
      reason: expect.stringMatching(/^accuracy worse by more than 0\.01: accuracy 0\.8010 vs/),
    })
    // Worse by exactly the bound passes.
    expect(only([{ ...rule, max_regression: 0.011 }], facts())?.passed).toBe(true)
    expect(only([{ metrics: ['rmse'], max_regression: 0.1 }], facts())).toMatchObject({
      passed: false,
      reason: 'no challenger rmse given',
    })
    expect(
      only([{ metrics: ['accuracy'], max_regression: 0.1 }], facts({ champion: { f1: 0.4 } })),
    ).toMatchObject({ passed: false, reason: 'no champion accuracy given' })
  })

  it('bounds: a floor, a ceiling, or both', () => {
    expect(only([{ metric: 'accuracy', min: 0.6 }], facts())).toEqual({
      rule: 'accuracy >= 0.6',
      passed: true,
      reason: 'challenger accuracy 0.8010 ≥ 0.6',
    })
    expect(only([{ metric: 'accuracy', min: 0.9 }], facts())).toMatchObject({
      passed: false,
      reason: 'challenger accuracy 0.8010 < 0.9',
    })
    expect(only([{ metric: 'log_loss', min: 0.1, max: 0.4 }], facts())).toEqual({
      rule: '0.1 <= log_loss <= 0.4',
      passed: false,
      reason: 'challenger log_loss 0.4100 ≥ 0.1 and > 0.4',
    })
    expect(only([{ metric: 'rmse', max: 1 }], facts())).toMatchObject({
      rule: 'rmse <= 1',
      passed: false,
      reason: 'no challenger rmse given',
    })
  })

  it('validation and drift read their facts, and fail when they are missing', () => {
    const v = [{ validation: 'passed' }]
    expect(only(v, facts({ validation: { passed: true } }))).toEqual({
      rule: 'validation passed',
      passed: true,
      reason: 'the validation suite passed',
    })
    expect(only(v, facts({ validation: { passed: false } }))).toMatchObject({
      passed: false,
      reason: 'the validation suite failed',
    })
    expect(only(v, facts())).toMatchObject({ passed: false, reason: 'no validation given' })
    const d = [{ drift: { max_share: 0.5 } }]
    expect(only(d, facts({ drift: { share: 1 / 3 } }))).toEqual({
      rule: 'drift share <= 0.5',
      passed: true,
      reason: 'drift share 0.3333 ≤ 0.5',
    })
    expect(only(d, facts({ drift: { share: 2 / 3 } }))).toMatchObject({
      passed: false,
      reason: 'drift share 0.6667 > 0.5',
    })
    expect(only(d, facts())).toMatchObject({ passed: false, reason: 'no drift given' })
  })

  it('approval waits, then passes; a failed rule fails the decision whatever else', () => {
    const rules = [{ metric: 'roc_auc', min_improvement: 0.005 }, { approval: 'required' }]
    expect(evaluatePolicy(policy(rules), facts())).toEqual({
      passed: false,
      status: 'pending_approval',
      rules: [
        expect.objectContaining({ passed: true }),
        { rule: 'approval required', passed: null, reason: 'awaiting approval' },
      ],
    })
    const approved = evaluatePolicy(
      policy(rules),
      facts({ approval: { by: 'alice', at: Date.UTC(2026, 10, 28, 9, 30) } }),
    )
    expect(approved.status).toBe('passed')
    expect(approved.passed).toBe(true)
    expect(approved.rules[1]).toEqual({
      rule: 'approval required',
      passed: true,
      reason: 'approved by alice at 2026-11-28T09:30:00Z',
    })
    const failed = evaluatePolicy(
      policy([{ metric: 'roc_auc', min_improvement: 0.5 }, { approval: 'required' }]),
      facts(),
    )
    expect(failed).toMatchObject({ passed: false, status: 'failed' })
  })
})
