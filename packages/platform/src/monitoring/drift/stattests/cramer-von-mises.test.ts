import { describe, expect, it } from 'vitest'
import { pythonOracle } from '../../../training/test-support/python-oracle.js'
import { expectRelClose, normalSample } from '../math/test-support/numeric-samples.js'
import { cramerVonMises, cramerVonMisesStatTest } from './cramer-von-mises.js'

const CASES = [
  // Exact: both samples of at most 20 values.
  [normalSample(91, 5), normalSample(92, 7, 0.5)],
  [normalSample(93, 12), normalSample(94, 20, 1)],
  [normalSample(95, 20), normalSample(96, 20)],
  [normalSample(97, 9, 0, 1, 0), normalSample(98, 11, 0.5, 1, 0)],
  // Asymptotic.
  [normalSample(99, 21), normalSample(100, 15, 0.3)],
  [normalSample(101, 400), normalSample(102, 300, 0.2)],
  [normalSample(103, 20000, 0, 1, 1), normalSample(104, 15000, 0.01, 1, 1)],
  [normalSample(105, 2000), normalSample(106, 2000, 0.4)],
] as const

describe('cramer_von_mises', () => {
  it("matches scipy's cramervonmises_2samp (method 'auto', the rule Evidently ports)", () => {
    const expected = pythonOracle<[number, number][]>(
      `from scipy.stats import cramervonmises_2samp
out = []
for r, c in data:
    res = cramervonmises_2samp(r, c)
    out.append([float(res.statistic), float(res.pvalue)])
print(json.dumps(out))`,
      CASES.map(([r, c]) => [Array.from(r), Array.from(c)]),
    )
    CASES.forEach(([r, c], i) => {
      const [statistic, pValue] = expected[i] as [number, number]
      const result = cramerVonMises(r, c)
      expectRelClose(result.statistic, statistic, 1e-10, `statistic ${i}`)
      // Tiny asymptotic p-values are 1 − CDF with CDF ≈ 1: only ~1e-15 absolute is meaningful.
      expectRelClose(result.pValue, pValue, 1e-8, `p-value ${i}`, 1e-14)
    })
  })

  it('flags drift at p ≤ threshold and needs two values on each side', () => {
    // 2 vs 2, fully separated: U is the most extreme of C(4, 2) = 6 arrangements, two of them.
    const result = cramerVonMisesStatTest.compute(
      Float64Array.of(0, 1),
      Float64Array.of(5, 6),
      'num',
      1 / 3,
    )
    expect(result.score).toBeCloseTo(1 / 3, 15)
    expect(result.drifted).toBe(true)
    expect(() =>
      cramerVonMisesStatTest.compute(Float64Array.of(1), Float64Array.of(1, 2), 'num', 0.1),
    ).toThrow(/at least two values/)
  })
})
