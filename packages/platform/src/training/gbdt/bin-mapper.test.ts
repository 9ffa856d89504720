import { describe, expect, it } from 'vitest'
import { seededRandom } from '../random.js'
import { binColumn, fitFeatureBins } from './bin-mapper.js'

describe('bin mapper', () => {
  it('gives each distinct value its own bin when they fit, NaN the extra slot', () => {
    const col = Float64Array.from([3, 1, 2, 3, NaN, 1, 2.5])
    const fb = fitFeatureBins(col, false, 255)
    // Bounds halfway between neighbouring values (float32 values), the last at the maximum.
    expect(Array.from(fb.upperBounds)).toEqual([1.5, 2.25, 2.75, 3])
    expect(Array.from(binColumn(col, fb))).toEqual([3, 0, 1, 3, 4, 0, 2])
    // Unseen values fall by the same "x <= bound" rule; above the maximum is the last bin.
    expect(Array.from(binColumn(Float64Array.from([0, 1.5, 2.7, 100]), fb))).toEqual([0, 0, 2, 3])
  })

  it('places bounds on float32 values strictly between neighbours, so float32 rounding keeps sides', () => {
    // 0.1, 0.2, 0.3 are not float32 values; each bound separates their float32 roundings too.
    const col = Float64Array.from([0.1, 0.2, 0.3, 0.1])
    const fb = fitFeatureBins(col, false, 255)
    const bounds = Array.from(fb.upperBounds)
    expect(bounds.slice(0, 2)).toEqual([0.14999999105930328, 0.25])
    expect(bounds.slice(0, 2).every((b) => Math.fround(b) === b)).toBe(true)
    const rounded = col.map(Math.fround)
    expect(Array.from(binColumn(rounded, fb))).toEqual(Array.from(binColumn(col, fb)))
    // Neighbours one float32 step apart leave no float32 strictly between: the lower value is used.
    const tight = fitFeatureBins(Float64Array.from([1, 1 + 2 ** -23]), false, 255)
    expect(tight.upperBounds[0]).toBe(1)
  })

  it('places at most maxBins quantile bounds between training values, with near-equal counts', () => {
    const rng = seededRandom(8)
    const col = Float64Array.from({ length: 50_000 }, () => rng() ** 2)
    const fb = fitFeatureBins(col, false, 255)
    expect(fb.numBins).toBeLessThanOrEqual(255)
    expect(fb.numBins).toBeGreaterThan(250)
    // Each bound but the last (the maximum) is a float32 between two neighbouring training values.
    const sorted = Float64Array.from(new Set(col)).sort()
    const inner = Array.from(fb.upperBounds).slice(0, -1)
    expect(inner.every((b) => Math.fround(b) === b)).toBe(true)
    for (const b of inner) {
      const above = sorted.findIndex((v) => v > b)
      expect(above).toBeGreaterThan(0)
      expect(sorted[above - 1]! < b).toBe(true)
    }
    expect(fb.upperBounds[fb.numBins - 1]).toBe(sorted[sorted.length - 1])
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
