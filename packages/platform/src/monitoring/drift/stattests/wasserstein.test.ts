import { describe, expect, it } from 'vitest'
import { pythonOracle } from '../../../training/test-support/python-oracle.js'
import { expectRelClose, normalSample } from '../math/test-support/numeric-samples.js'
import { wassersteinDistanceNorm, wassersteinStatTest } from './wasserstein.js'

const CASES = [
  [normalSample(21, 40), normalSample(22, 55, 0.5)],
  [normalSample(23, 5000, 10, 3, 1), normalSample(24, 4000, 10.5, 3, 1)],
  [normalSample(25, 100000), normalSample(26, 80000, 0.05, 1.1)],
  [Float64Array.of(2), Float64Array.of(1, 7)],
] as const

describe('wasserstein', () => {
  it('matches scipy wasserstein_distance / max(np.std(reference), 0.001)', () => {
    const expected = pythonOracle<number[]>(
      `from scipy.stats import wasserstein_distance
print(json.dumps([float(wasserstein_distance(r, c) / max(np.std(r), 0.001)) for r, c in data]))`,
      CASES.map(([r, c]) => [Array.from(r), Array.from(c)]),
    )
    CASES.forEach(([r, c], i) => {
      expectRelClose(wassersteinDistanceNorm(r, c), expected[i] as number, 1e-10, `case ${i}`)
    })
  })

  it('norms a constant reference by 0.001 and flags drift at distance ≥ threshold', () => {
    // Distance 1 over the 0.001 floor.
    const result = wassersteinStatTest.compute(
      Float64Array.of(5, 5, 5),
      Float64Array.of(6, 6),
      'num',
      0.1,
    )
    expect(result.score).toBeCloseTo(1000, 9)
    expect(result.drifted).toBe(true)
    expect(
      wassersteinStatTest.compute(Float64Array.of(1, 2), Float64Array.of(1, 2), 'num', 0),
    ).toEqual({
      score: 0,
      drifted: true,
    })
  })
})
