import { describe, expect, it } from 'vitest'
import { pythonOracle } from '../../../training/test-support/python-oracle.js'
import { expectRelClose, normalSample } from '../math/test-support/numeric-samples.js'
import { energyDistance, energyDistanceStatTest } from './energy-distance.js'

const CASES = [
  [normalSample(31, 40), normalSample(32, 55, 0.5)],
  [normalSample(33, 5000, 10, 3, 1), normalSample(34, 4000, 10.5, 3, 1)],
  [normalSample(35, 100000), normalSample(36, 80000, 0.05, 1.1)],
  [Float64Array.of(2), Float64Array.of(1, 7)],
] as const

describe('ed', () => {
  it("matches scipy's energy_distance", () => {
    const expected = pythonOracle<number[]>(
      `from scipy.stats import energy_distance
print(json.dumps([float(energy_distance(r, c)) for r, c in data]))`,
      CASES.map(([r, c]) => [Array.from(r), Array.from(c)]),
    )
    CASES.forEach(([r, c], i) => {
      expectRelClose(energyDistance(r, c), expected[i] as number, 1e-10, `case ${i}`)
    })
  })

  it('needs a distance strictly above the threshold to flag drift, as Evidently', () => {
    // One point each, 1 apart: √2 · √(1² · 1) = √2.
    const score = energyDistanceStatTest.compute(
      Float64Array.of(0),
      Float64Array.of(1),
      'num',
      0.1,
    ).score
    expect(score).toBe(Math.SQRT2)
    expect(
      energyDistanceStatTest.compute(Float64Array.of(0), Float64Array.of(1), 'num', score).drifted,
    ).toBe(false)
    const same = Float64Array.of(4, 4, 4)
    expect(energyDistanceStatTest.compute(same, same, 'num', 0.1)).toEqual({
      score: 0,
      drifted: false,
    })
  })
})
