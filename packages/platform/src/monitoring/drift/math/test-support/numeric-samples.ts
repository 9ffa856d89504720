import { expect } from 'vitest'
import { mulberry32 } from '../seeded-random.js'

/** Seeded normal sample (Box–Muller) with the given mean and std, optionally rounded to `decimals` to make ties. */
export function normalSample(
  seed: number,
  size: number,
  mean = 0,
  std = 1,
  decimals?: number,
): Float64Array {
  const random = mulberry32(seed)
  const out = new Float64Array(size)
  for (let i = 0; i < size; i++) {
    const u = 1 - random()
    const v = random()
    const z = Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * v)
    const value = mean + std * z
    out[i] = decimals === undefined ? value : Number(value.toFixed(decimals))
  }
  return out
}

/**
 * |actual − expected| ≤ max(rel·|expected|, abs); exact match required when expected is not
 * finite, or is 0 with no `abs` allowance.
 */
export function expectRelClose(
  actual: number,
  expected: number,
  rel: number,
  label = '',
  abs = 0,
): void {
  if (!Number.isFinite(expected) || (expected === 0 && abs === 0)) {
    expect(actual, label).toBe(expected)
    return
  }
  const error = Math.abs(actual - expected)
  expect(error, `${label}: ${actual} vs ${expected}`).toBeLessThanOrEqual(
    Math.max(rel * Math.abs(expected), abs),
  )
}
