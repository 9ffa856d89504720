import { describe, expect, it } from 'vitest'
import { sortedFloat64 } from './radix-sort.js'
import { mulberry32 } from './seeded-random.js'

function sample(n: number, seed: number): Float64Array {
  const random = mulberry32(seed)
  const special = [0, -0, 1e-310, -1e-310, Infinity, -Infinity, 1, -1, 2 ** 53, -(2 ** 53)]
  return Float64Array.from({ length: n }, (_, i) => {
    const u = random()
    if (i % 7 === 0) return special[Math.floor(u * special.length)]!
    if (i % 3 === 0) return Math.round((u - 0.5) * 20)
    return (u - 0.5) * 10 ** Math.floor(random() * 40 - 20)
  })
}

/** The built-in order, told apart bit for bit (−0 and +0 included). */
function expectSameOrder(actual: Float64Array, values: Float64Array): void {
  const expected = Float64Array.from(values).sort()
  expect(actual.length).toBe(expected.length)
  expect(Buffer.from(actual.buffer).equals(Buffer.from(expected.buffer))).toBe(true)
}

describe('sortedFloat64', () => {
  it('orders large samples exactly as Float64Array.prototype.sort, -0 before +0', () => {
    for (const [n, seed] of [
      [5000, 1],
      [100_000, 2],
    ] as const) {
      const values = sample(n, seed)
      const sorted = sortedFloat64(values)
      expectSameOrder(sorted, values)
      const firstZero = sorted.indexOf(0)
      expect(Object.is(sorted[firstZero], -0)).toBe(true)
    }
  })

  it('leaves its input unchanged and sorts short and NaN-holding arrays too', () => {
    const values = sample(10_000, 3)
    const copy = Float64Array.from(values)
    sortedFloat64(values)
    expect(values).toEqual(copy)
    expectSameOrder(sortedFloat64(sample(100, 4)), sample(100, 4))
    const withNaN = sample(8000, 5)
    withNaN[17] = Number.NaN
    const sorted = sortedFloat64(withNaN)
    expect(Number.isNaN(sorted[7999])).toBe(true)
    expect(sorted[0]).toBe(-Infinity)
  })

  it('sorts a sample whose keys share their high digits', () => {
    const values = Float64Array.from({ length: 6000 }, (_, i) => (i * 7919) % 6000)
    expectSameOrder(sortedFloat64(values), values)
  })
})
