import { describe, expect, it } from 'vitest'
import { CAT_CASES, NUM_CASES, expectScoresMatch } from '../test-support/scenarios.js'
import { hellingerStatTest } from './hellinger.js'

describe('hellinger', () => {
  it("matches Evidently's Hellinger distance for categories and density histograms", () => {
    expectScoresMatch('hellinger', [...CAT_CASES, ...NUM_CASES], 1e-10)
  })

  it('is 0 for identical category shares', () => {
    expect(hellingerStatTest.compute(['a', 'b'], ['b', 'a'], 'cat', 0.1)).toEqual({
      score: 0,
      drifted: false,
    })
  })
})
