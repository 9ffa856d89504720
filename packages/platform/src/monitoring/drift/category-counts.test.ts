import { describe, expect, it } from 'vitest'
import { atMostDistinct, countCategories } from './category-counts.js'

describe('atMostDistinct', () => {
  it('counts distinct values over all samples, up to the limit inclusive', () => {
    const five = Float64Array.from({ length: 1000 }, (_, i) => i % 5)
    expect(atMostDistinct([five], 5)).toBe(true)
    expect(atMostDistinct([five], 4)).toBe(false)
    // A sixth value seen only in the second sample, at its very end.
    expect(atMostDistinct([five, Float64Array.of(0, 1, 7)], 5)).toBe(false)
    expect(atMostDistinct([['a', 'b', 'a'], ['b']], 2)).toBe(true)
    expect(atMostDistinct([['a', 'b'], ['c']], 2)).toBe(false)
  })

  it('takes -0 and 0 as one value, as a Set and a sort do', () => {
    expect(atMostDistinct([Float64Array.of(0, -0, 1)], 2)).toBe(true)
  })
})

describe('countCategories', () => {
  it('counts numbers per distinct value over the union, ascending', () => {
    const counts = countCategories(Float64Array.of(3, 1, 3, 3), Float64Array.of(2, 3))
    expect(counts.keys).toEqual([1, 2, 3])
    expect(Array.from(counts.reference)).toEqual([1, 0, 3])
    expect(Array.from(counts.current)).toEqual([0, 1, 1])
  })
})
