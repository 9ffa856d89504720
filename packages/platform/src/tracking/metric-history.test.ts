import { describe, expect, it } from 'vitest'
import { sampleSteps } from './metric-history.js'

describe('sampleSteps', () => {
  it('keeps every step when there are no more than asked for', () => {
    expect(sampleSteps([1, 5, 9], 3)).toEqual([1, 5, 9])
    expect(sampleSteps([], 10)).toEqual([])
  })

  it('spreads the samples evenly and keeps both ends', () => {
    const steps = Array.from({ length: 11 }, (_, i) => i * 10)
    expect(sampleSteps(steps, 3)).toEqual([0, 50, 100])
    expect(sampleSteps(steps, 6)).toEqual([0, 20, 40, 60, 80, 100])
    expect(sampleSteps(steps, 1)).toEqual([100])
  })
})
