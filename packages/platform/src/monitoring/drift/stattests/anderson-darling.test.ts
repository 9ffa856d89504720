import { describe, expect, it } from 'vitest'
import { pythonOracle } from '../../../training/test-support/python-oracle.js'
import { expectRelClose, normalSample } from '../math/test-support/numeric-samples.js'
import { andersonDarlingStatTest, andersonKSample } from './anderson-darling.js'

const CASES = [
  [normalSample(71, 30), normalSample(72, 40, 0.5)],
  [normalSample(73, 300), normalSample(74, 250, 0.15)],
  [normalSample(75, 300, 0, 1, 0), normalSample(76, 250, 0.2, 1, 0)],
  [normalSample(77, 20000), normalSample(78, 15000, 0.01)],
  [normalSample(79, 20000), normalSample(80, 15000)],
  [normalSample(81, 2000), normalSample(82, 2000, 1)],
] as const

describe('anderson', () => {
  it("matches scipy's anderson_ksamp (midrank) statistic and capped p-value", () => {
    const expected = pythonOracle<[number, number][]>(
      `import warnings
from scipy.stats import anderson_ksamp
warnings.simplefilter('ignore')
out = []
for r, c in data:
    res = anderson_ksamp([np.array(r), np.array(c)])
    out.append([float(res.statistic), float(res.pvalue)])
print(json.dumps(out))`,
      CASES.map(([r, c]) => [Array.from(r), Array.from(c)]),
    )
    const pValues = CASES.map(([r, c], i) => {
      const [statistic, pValue] = expected[i] as [number, number]
      const result = andersonKSample(r, c)
      expectRelClose(result.statistic, statistic, 1e-10, `statistic ${i}`)
      expectRelClose(result.pValue, pValue, 1e-10, `p-value ${i}`)
      return result.pValue
    })
    // The cases reach the cap, the floor and the interpolated middle.
    expect(pValues).toContain(0.25)
    expect(pValues).toContain(0.001)
    expect(pValues.some((p) => p > 0.001 && p < 0.25)).toBe(true)
  })

  it('rejects a column with a single distinct value, as scipy does', () => {
    const same = new Float64Array(5).fill(1)
    expect(() => andersonDarlingStatTest.compute(same, same, 'num', 0.1)).toThrow(
      /more than one distinct value/,
    )
  })
})
