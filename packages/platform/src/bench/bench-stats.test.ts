import { describe, expect, it } from 'vitest'
import { median, percentile } from './bench-stats.js'

describe('bench statistics', () => {
  it('interpolates percentiles as numpy does by default', () => {
    // numpy.percentile([1, 2, 3, 4], [50, 90, 99]) → [2.5, 3.7, 3.97]
    expect(median([4, 1, 3, 2])).toBe(2.5)
    expect(percentile([1, 2, 3, 4], 90)).toBeCloseTo(3.7, 12)
    expect(percentile([1, 2, 3, 4], 99)).toBeCloseTo(3.97, 12)
    expect(median([])).toBeNaN()
  })
})
