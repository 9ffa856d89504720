import { describe, expect, it } from 'vitest'
import { binnedShares } from './binned-data.js'

describe('binnedShares', () => {
  it('keeps one bucket per value while the reference has at most 20 distinct values', () => {
    const ref = Float64Array.from({ length: 40 }, (_, i) => i % 20)
    const cur = Float64Array.of(0, 0, 99)
    const { reference, current } = binnedShares(ref, cur, 'num', false)
    // 20 reference values plus 99, seen only in current
    expect(reference.length).toBe(21)
    expect(reference[0]).toBe(0.05)
    expect(reference[20]).toBe(0)
    expect(current[0]).toBeCloseTo(2 / 3, 15)
    expect(current[20]).toBeCloseTo(1 / 3, 15)
  })

  it('switches to Sturges bins over both samples at 21 distinct reference values', () => {
    const ref = Float64Array.from({ length: 21 }, (_, i) => i)
    const cur = Float64Array.of(0, 20)
    const { reference, current } = binnedShares(ref, cur, 'num', false)
    // 23 values: ceil(log2(23) + 1) = 6 bins over [0, 20]
    expect(reference.length).toBe(6)
    expect(Array.from(reference).reduce((a, b) => a + b, 0)).toBeCloseTo(1, 15)
    expect(Array.from(current)).toEqual([0.5, 0, 0, 0, 0, 0.5])
  })

  it('never bins a categorical column, whatever its number of values', () => {
    const ref = Array.from({ length: 30 }, (_, i) => `v${i}`)
    expect(binnedShares(ref, ['v1'], 'cat', false).reference.length).toBe(30)
  })

  it('floors empty buckets per sample only when asked', () => {
    const r = binnedShares(['a', 'b'], ['a'], 'cat', true)
    expect(Array.from(r.current)).toEqual([1, 0.0001])
    expect(Array.from(binnedShares(['a', 'b'], ['a'], 'cat', false).current)).toEqual([1, 0])
  })

  it('rejects an empty sample', () => {
    expect(() => binnedShares([], ['a'], 'cat', true)).toThrow(
      'drift needs a non-empty reference and current sample',
    )
  })
})
