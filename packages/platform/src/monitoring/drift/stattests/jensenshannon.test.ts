import { describe, expect, it } from 'vitest'
import { CAT_CASES, NUM_CASES, expectScoresMatch } from '../test-support/scenarios.js'
import { jensenshannonStatTest } from './jensenshannon.js'

describe('jensenshannon', () => {
  it('matches scipy.spatial.distance.jensenshannon (base 2) on binned shares', () => {
    expectScoresMatch('jensenshannon', [...CAT_CASES, ...NUM_CASES], 1e-12)
  })

  it('is 1 for samples with no value in common, with no floor on empty buckets', () => {
    const r = jensenshannonStatTest.compute(['a', 'a'], ['b'], 'cat', 0.1)
    expect(r.score).toBeCloseTo(1, 14)
    expect(r.drifted).toBe(true)
  })
})
