import { describe, expect, it } from 'vitest'
import { BINARY_CASES, CAT_CASES, expectScoresMatch } from '../test-support/scenarios.js'
import { chisquareStatTest } from './chisquare.js'

describe('chisquare', () => {
  it('matches scipy.stats.chisquare on Evidently-scaled expected counts', () => {
    expectScoresMatch('chisquare', [...CAT_CASES, ...BINARY_CASES], 1e-12)
  })

  it('scores 0 when current holds a value the reference never had', () => {
    const r = chisquareStatTest.compute(['a', 'a', 'b'], ['a', 'c'], 'cat', 0.05)
    expect(r).toEqual({ score: 0, drifted: true })
  })

  it('counts numbers per value when the default picks it for a numeric column', () => {
    const ref = Float64Array.of(1, 1, 2, 3, 3, 3)
    const cur = Float64Array.of(1, 2, 2, 3)
    // Expected [4/3, 2/3, 2]: statistic 3.25 on 2 degrees of freedom, p = e^(-3.25/2).
    expect(chisquareStatTest.compute(ref, cur, 'num', 0.05).score).toBeCloseTo(Math.exp(-1.625), 14)
  })
})
