import { describe, expect, it } from 'vitest'
import { seededRandom } from '../random.js'
import { binColumn, fitFeatureBins } from './bin-mapper.js'

describe('bin mapper', () => {
  it('gives each distinct value its own bin when they fit, NaN the extra slot', () => {
    const col = Float64Array.from([3, 1, 2, 3, NaN, 1, 2.5])
    const fb = fitFeatureBins(col, false, 255)
    expect(Array.from(fb.upperBounds)).toEqual([1, 2, 2.5, 3])
    expect(Array.from(binColumn(col, fb))).toEqual([3, 0, 1, 3, 4, 0, 2])
    // Unseen values fall by the same "x <= bound" rule; above the maximum is the last bin.
    expect(Array.from(binColumn(Float64Array.from([0, 1.5, 2.7, 100]), fb))).toEqual([0, 1, 3, 3])
  })

  it('places at most maxBins quantile bounds, each a training value, with near-equal counts', () => {
    const rng = seededRandom(8)
    const col = Float64Array.from({ length: 50_000 }, () => rng() ** 2)
    const fb = fitFeatureBins(col, false, 255)
    expect(fb.numBins).toBeLessThanOrEqual(255)
    expect(fb.numBins).toBeGreaterThan(250)
    const values = new Set(col)
    expect(Array.from(fb.upperBounds).every((b) => values.has(b))).toBe(true)
    const counts = new Array<number>(fb.numBins).fill(0)
    for (const b of binColumn(col, fb)) counts[b]! += 1
    expect(Math.max(...counts)).toBeLessThan(2 * (50_000 / 255))
  })

  it('keeps the most frequent categories; rarer ones and NaN share the missing slot', () => {
    const col = Float64Array.from([7, 7, 7, 3, 3, 9, NaN])
    const fb = fitFeatureBins(col, true, 2)
    expect(Array.from(fb.categories)).toEqual([7, 3])
    expect(Array.from(binColumn(col, fb))).toEqual([0, 0, 0, 1, 1, 2, 2])
  })
})
