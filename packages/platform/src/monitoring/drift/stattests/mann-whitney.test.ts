import { describe, expect, it } from 'vitest'
import { pythonOracle } from '../../../training/test-support/python-oracle.js'
import { expectRelClose, normalSample } from '../math/test-support/numeric-samples.js'
import { mannWhitneyLessPValue, mannWhitneyStatTest } from './mann-whitney.js'

const CASES = [
  // Exact: one side has at most 8 values and there are no ties.
  [normalSample(51, 6), normalSample(52, 8, 0.5)],
  [normalSample(53, 8), normalSample(54, 3, -1)],
  [normalSample(55, 5), normalSample(56, 2000, 0.3)],
  [normalSample(57, 7), normalSample(58, 7)],
  // Asymptotic: both larger than 8, or ties.
  [normalSample(59, 40), normalSample(60, 55, 0.4)],
  [normalSample(61, 6, 0, 1, 0), normalSample(62, 7, 0.5, 1, 0)],
  [normalSample(63, 5000, 10, 3, 0), normalSample(64, 4000, 10.1, 3, 0)],
  [normalSample(65, 100000), normalSample(66, 80000, -0.01)],
] as const

describe('mannw', () => {
  it("matches scipy's mannwhitneyu(alternative='less') in its exact and asymptotic modes", () => {
    const expected = pythonOracle<number[]>(
      `from scipy.stats import mannwhitneyu
print(json.dumps([float(mannwhitneyu(r, c, alternative='less').pvalue) for r, c in data]))`,
      CASES.map(([r, c]) => [Array.from(r), Array.from(c)]),
    )
    CASES.forEach(([r, c], i) => {
      expectRelClose(mannWhitneyLessPValue(r, c), expected[i] as number, 1e-9, `case ${i}`)
    })
  })

  it('scores all-tied samples 1 and flags drift only below the threshold', () => {
    const same = new Float64Array(20).fill(1)
    expect(mannWhitneyStatTest.compute(same, same, 'num', 0.05)).toEqual({
      score: 1,
      drifted: false,
    })
    // Reference entirely below current, 3 vs 3, exact: P(U2 ≥ 9) = 1 / C(6, 3) = 0.05.
    const result = mannWhitneyStatTest.compute(
      Float64Array.of(1, 2, 3),
      Float64Array.of(4, 5, 6),
      'num',
      0.05,
    )
    expect(result.score).toBeCloseTo(0.05, 15)
    expect(result.drifted).toBe(false)
  })
})
