import { describe, expect, it } from 'vitest'
import { type CanaryFigures, judgeCanary, p99Limit } from './canary-verdict.js'
import { CANARY_DEFAULTS, type CanaryLimits } from './deploy-inputs.js'

const limits: CanaryLimits = { ...CANARY_DEFAULTS, percent: 10, durationMs: null }

const healthy: CanaryFigures = {
  canary_requests: 2_000,
  canary_predictions: 2_000,
  canary_errors: 10,
  canary_error_rate: 0.005,
  canary_p50_ms: 3,
  canary_p99_ms: 14,
  canary_cpu_ms: 900,
  primary_requests: 18_000,
  primary_error_rate: 0.004,
  primary_p99_ms: 10,
  primary_cpu_ms: 8_000,
  canary_labelled: 400,
  canary_accuracy: 0.86,
  primary_labelled: 3_600,
  primary_accuracy: 0.865,
  watched_ms: 600_000,
}

describe('judging a canary', () => {
  it('promotes when every check holds, listing them', () => {
    expect(judgeCanary(healthy, limits)).toEqual({
      promote: true,
      reasons: [
        'error rate 0.005 is within max_error_rate 0.01',
        "p99 latency 14 ms is within 1.5 × the primary's 10 ms",
        "accuracy 0.86 on 400 labelled predictions against the primary's 0.865 (difference -0.005, min_accuracy_delta -0.01)",
      ],
    })
  })

  it('rolls back naming every check that failed', () => {
    const bad = {
      ...healthy,
      canary_errors: 40,
      canary_error_rate: 0.02,
      canary_p99_ms: 31,
      canary_accuracy: 0.84,
    }
    expect(judgeCanary(bad, limits)).toEqual({
      promote: false,
      reasons: [
        'error rate 0.02 (40 of 2000 requests) is above max_error_rate 0.01',
        "p99 latency 31 ms is above 1.5 × the primary's 10 ms (limit 15 ms)",
        "accuracy 0.84 on 400 labelled predictions against the primary's 0.865 (difference -0.025 is below min_accuracy_delta -0.01)",
      ],
    })
  })

  it('leaves accuracy out until enough labels arrived, and rolls back without traffic', () => {
    const early = judgeCanary({ ...healthy, canary_labelled: 150, canary_accuracy: 0.5 }, limits)
    expect(early.promote).toBe(true)
    expect(early.reasons[2]).toBe(
      'accuracy not compared: 150 labelled canary predictions, fewer than min_labelled 200',
    )
    expect(
      judgeCanary({ ...healthy, canary_requests: 0, canary_error_rate: null }, limits),
    ).toEqual({
      promote: false,
      reasons: ['not enough traffic: the canary answered no requests during the watch'],
    })
  })

  it('allows the p99 the primary bucket holds: estimates inside a bucket are interpolations', () => {
    // Primary p99 0.8 ms lies in the 0–1 ms bucket: the canary may reach 1 ms, not 1.2 ms.
    expect(p99Limit(0.8, 1.5)).toBeCloseTo(1.2, 12)
    expect(p99Limit(0.5, 1.5)).toBe(1)
    expect(p99Limit(40, 1.5)).toBe(60)
    expect(p99Limit(20_000, 1.5)).toBe(30_000)
  })
})
