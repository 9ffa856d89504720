import { describe, expect, it } from 'vitest'
import { pythonOracle } from '../../../training/test-support/python-oracle.js'
import { expectRelClose, normalSample } from '../math/test-support/numeric-samples.js'
import { tTestPValue, tTestStatTest } from './t-test.js'

const CASES = [
  [normalSample(41, 5), normalSample(42, 7, 0.5)],
  [normalSample(43, 40), normalSample(44, 55, 0.9)],
  [normalSample(45, 5000, 10, 3, 1), normalSample(46, 4000, 10.05, 3, 1)],
  [normalSample(47, 200000), normalSample(48, 150000, 0.002)],
  [normalSample(49, 200000), normalSample(50, 150000, 0.03)],
  [Float64Array.of(1, 2), Float64Array.of(1.5)],
] as const

describe('t_test', () => {
  it("matches scipy's ttest_ind two-sided p-value", () => {
    const expected = pythonOracle<number[]>(
      `from scipy.stats import ttest_ind
print(json.dumps([float(ttest_ind(r, c).pvalue) for r, c in data]))`,
      CASES.map(([r, c]) => [Array.from(r), Array.from(c)]),
    )
    CASES.forEach(([r, c], i) => {
      expectRelClose(tTestPValue(r, c), expected[i] as number, 1e-8, `case ${i}`)
    })
  })

  it('gives NaN (no drift) for one shared constant and 0 for two different constants, as scipy', () => {
    const twos = new Float64Array(10).fill(2)
    const result = tTestStatTest.compute(twos, twos, 'num', 0.05)
    expect(result.score).toBeNaN()
    expect(result.drifted).toBe(false)
    expect(tTestStatTest.compute(twos, new Float64Array(10).fill(3), 'num', 0.05)).toEqual({
      score: 0,
      drifted: true,
    })
  })
})
