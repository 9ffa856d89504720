import { describe, expect, it } from 'vitest'
import { BINARY_CASES, expectScoresMatch } from '../test-support/scenarios.js'
import { fisherExactStatTest, fisherTwoSided } from './fisher-exact.js'

describe('fisher_exact', () => {
  it('matches scipy.stats.fisher_exact (two-sided)', () => {
    expectScoresMatch('fisher_exact', BINARY_CASES, 1e-12)
  })

  it('gives the textbook tea-tasting p-value', () => {
    // scipy.stats.fisher_exact([[3, 1], [1, 3]]).pvalue
    expect(fisherTwoSided(3, 1, 1, 3)).toBeCloseTo(0.48571428571428527, 14)
  })

  it('scores 1 for a single value on both sides', () => {
    expect(fisherExactStatTest.compute(['a', 'a'], ['a', 'a'], 'cat', 0.1).score).toBe(1)
  })

  it('rejects a column with more than two values', () => {
    expect(() => fisherExactStatTest.compute(['a', 'b'], ['c', 'a'], 'cat', 0.1)).toThrow(
      'fisher_exact needs a binary column (found 3 distinct values)',
    )
  })
})
