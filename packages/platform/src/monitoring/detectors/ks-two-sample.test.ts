import { describe, expect, it } from 'vitest'
import { pythonOracle } from '../../training/test-support/python-oracle.js'
import { ksTwoSampleEqualSize } from './ks-two-sample.js'

interface Case {
  a: number[]
  b: number[]
  d: number
  p: number
  exact: boolean
}

describe('ksTwoSampleEqualSize', () => {
  it("agrees with scipy's ks_2samp (method='auto') on continuous and tied samples", () => {
    const cases = pythonOracle<Case[]>(
      `
from scipy import stats
from scipy.stats._stats_py import _compute_prob_outside_square
rng = np.random.default_rng(2024)
out = []
for n in [5, 30, 50, 100, 400]:
    for shift in [0.0, 0.3, 1.0, 3.0]:
        for ties in [False, True]:
            a = rng.normal(0, 1, n)
            b = rng.normal(shift, 1, n)
            if ties:
                a, b = np.round(a), np.round(b)
            r = stats.ks_2samp(a, b, method='auto')
            h = int(round(r.statistic * n))
            exact = h == 0 or 0 <= _compute_prob_outside_square(n, h) <= 1
            out.append({'a': a.tolist(), 'b': b.tolist(), 'd': float(r.statistic), 'p': float(r.pvalue), 'exact': exact})
print(json.dumps(out))`,
      null,
    )
    expect(cases.filter((c) => c.exact).length).toBeGreaterThan(35)
    for (const c of cases) {
      const r = ksTwoSampleEqualSize(Float64Array.from(c.a), Float64Array.from(c.b))
      expect(r.statistic).toBe(c.d)
      if (c.exact) expect(Math.abs(r.pValue - c.p)).toBeLessThanOrEqual(1e-12 * Math.max(1, c.p))
      else expect(r.pValue).toBe(1)
    }
  })

  it('gives D = 0 and p = 1 for identical samples', () => {
    const a = Float64Array.from([3, 1, 2, 2])
    expect(ksTwoSampleEqualSize(a, Float64Array.from(a))).toEqual({ statistic: 0, pValue: 1 })
  })
})
