import { describe, expect, it } from 'vitest'
import { BINARY_CASES, CAT_CASES, expectScoresMatch } from '../test-support/scenarios.js'
import { gTestStatTest } from './g-test.js'

describe('g_test', () => {
  it('matches scipy.stats.power_divergence(lambda_="log-likelihood")', () => {
    const equalSizes = [...CAT_CASES, ...BINARY_CASES].filter((c) => c.ref.length === c.cur.length)
    expect(equalSizes.length).toBeGreaterThanOrEqual(4)
    expectScoresMatch('g_test', equalSizes, 1e-12)
  })

  it('rejects samples of different sizes, naming the test', () => {
    expect(() => gTestStatTest.compute(['a', 'b'], ['a'], 'cat', 0.1)).toThrow(
      'g_test needs reference and current samples of equal size (got 2 and 1)',
    )
  })
})
