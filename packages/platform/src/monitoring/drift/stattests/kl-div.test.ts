import { describe, expect, it } from 'vitest'
import { CAT_CASES, NUM_CASES, expectScoresMatch } from '../test-support/scenarios.js'
import { klDivStatTest } from './kl-div.js'

describe('kl_div', () => {
  it('matches scipy.stats.entropy on floored binned shares', () => {
    expectScoresMatch('kl_div', [...CAT_CASES, ...NUM_CASES], 1e-10)
  })

  it('floors an empty bucket at 0.0001 when every share is larger', () => {
    // ref [0.5, 0.5], cur [0.0001, 1] renormalized: Σ p ln(p / q)
    const q = [0.0001 / 1.0001, 1 / 1.0001]
    const expected = 0.5 * Math.log(0.5 / q[0]!) + 0.5 * Math.log(0.5 / q[1]!)
    expect(klDivStatTest.compute(['a', 'b'], ['b', 'b'], 'cat', 0.1).score).toBeCloseTo(
      expected,
      13,
    )
  })
})
