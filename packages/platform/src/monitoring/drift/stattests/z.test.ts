import { describe, expect, it } from 'vitest'
import { BINARY_CASES, CAT_CASES, expectScoresMatch } from '../test-support/scenarios.js'
import { zStatTest } from './z.js'

describe('z', () => {
  it("matches Evidently's two-proportion z-test", () => {
    expectScoresMatch('z', [...BINARY_CASES, ...CAT_CASES], 1e-12)
  })

  it('scores 1 when both samples hold the same single value', () => {
    expect(zStatTest.compute(['a', 'a'], ['a'], 'cat', 0.05)).toEqual({ score: 1, drifted: false })
  })

  it('orders numeric values as numbers (9 before 10)', () => {
    const ref = Float64Array.of(9, 9, 9, 10)
    const cur = Float64Array.of(9, 10, 10, 10)
    // p1 = 1/4, p2 = 3/4, pooled 1/2: z = -√2, p = erfc(1) = 0.1572992070502851
    expect(zStatTest.compute(ref, cur, 'num', 0.05).score).toBeCloseTo(0.1572992070502851, 14)
  })
})
