import { describe, expect, it } from 'vitest'
import { pythonOracle } from '../../../training/test-support/python-oracle.js'
import { ksTwoSample } from '../math/ks-two-sample.js'
import { sortedCopy } from '../math/pooled-ranks.js'
import { expectRelClose, normalSample } from '../math/test-support/numeric-samples.js'
import { ksStatTest } from './ks.js'

const CASES: { label: string; ref: Float64Array; cur: Float64Array; method: string }[] = [
  {
    label: 'equal small sizes',
    ref: normalSample(1, 15),
    cur: normalSample(2, 15, 0.8),
    method: 'exact',
  },
  {
    label: 'unequal small sizes',
    ref: normalSample(3, 20),
    cur: normalSample(4, 33, 0.3),
    method: 'exact',
  },
  {
    label: 'ties',
    ref: normalSample(5, 200, 0, 1, 1),
    cur: normalSample(6, 150, 0.1, 1, 1),
    method: 'exact',
  },
  {
    label: 'medium, no drift',
    ref: normalSample(7, 900),
    cur: normalSample(8, 1300),
    method: 'exact',
  },
  {
    label: 'at the exact limit',
    ref: normalSample(9, 10000),
    cur: normalSample(10, 7000, 0.02),
    method: 'exact',
  },
  {
    label: 'large, asymptotic',
    ref: normalSample(11, 20000),
    cur: normalSample(12, 15000, 0.01),
    method: 'asymptotic',
  },
  {
    label: 'large, shifted',
    ref: normalSample(13, 20000),
    cur: normalSample(14, 15000, 0.1),
    method: 'asymptotic',
  },
  {
    label: 'large vs tiny',
    ref: normalSample(15, 12000),
    cur: normalSample(16, 30, 0.4),
    method: 'asymptotic',
  },
  { label: 'tiny', ref: Float64Array.of(1), cur: Float64Array.of(2, 3, 4), method: 'exact' },
]

describe('ks', () => {
  it("matches scipy's ks_2samp (method 'auto') p-values and statistics", () => {
    const expected = pythonOracle<[number, number][]>(
      `from scipy.stats import ks_2samp
out = []
for ref, cur in data:
    r = ks_2samp(ref, cur)
    out.append([float(r.statistic), float(r.pvalue)])
print(json.dumps(out))`,
      CASES.map((c) => [Array.from(c.ref), Array.from(c.cur)]),
    )
    CASES.forEach((c, i) => {
      const [statistic, pValue] = expected[i] as [number, number]
      const result = ksTwoSample(sortedCopy(c.ref), sortedCopy(c.cur))
      expect(result.method, c.label).toBe(c.method)
      expectRelClose(result.statistic, statistic, 1e-12, c.label)
      expectRelClose(result.pValue, pValue, 1e-8, c.label)
    })
  })

  it('scores identical constant columns 1 and flags drift at p ≤ threshold, as Evidently', () => {
    const constant = new Float64Array(50).fill(3)
    expect(ksStatTest.compute(constant, constant, 'num', 0.05)).toEqual({
      score: 1,
      drifted: false,
    })
    // n1 = n2 = 2, d = 1: the exact p-value is 2 / C(4, 2) = 1/3.
    const result = ksStatTest.compute(Float64Array.of(0, 1), Float64Array.of(5, 6), 'num', 1 / 3)
    expect(result.score).toBeCloseTo(1 / 3, 15)
    expect(result.drifted).toBe(true)
  })

  it('rejects categorical columns and empty samples', () => {
    expect(() => ksStatTest.compute(['a'], ['b'], 'cat', 0.05)).toThrow(/numerical columns only/)
    expect(() => ksStatTest.compute(new Float64Array(0), Float64Array.of(1), 'num', 0.05)).toThrow(
      /reference column has no values/,
    )
  })
})
