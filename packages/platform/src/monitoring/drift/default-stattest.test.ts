import { describe, expect, it } from 'vitest'
import { defaultStatTestId } from './default-stattest.js'
import type { DriftColumn, DriftColumnType } from './stattest.js'

const numbers = (n: number, distinct: number) =>
  Float64Array.from({ length: n }, (_, i) => i % distinct)
const strings = (n: number, distinct: number) =>
  Array.from({ length: n }, (_, i) => `c${i % distinct}`)

describe('defaultStatTestId', () => {
  const table: [string, DriftColumn, DriftColumn, DriftColumnType, string][] = [
    ['binary categories, small reference', strings(1000, 2), strings(50, 2), 'cat', 'z'],
    ['three categories, small reference', strings(1000, 3), strings(50, 2), 'cat', 'chisquare'],
    // The second value only appears in current: counted over both samples.
    ['binary over both samples', strings(10, 1), ['c0', 'x'], 'cat', 'z'],
    ['categories, 1001 reference rows', strings(1001, 2), strings(50, 2), 'cat', 'jensenshannon'],
    ['numbers with 2 values, small', numbers(1000, 2), numbers(10, 2), 'num', 'z'],
    ['numbers with 5 values, small', numbers(1000, 5), numbers(10, 5), 'num', 'chisquare'],
    ['numbers with 6 values, small', numbers(1000, 6), numbers(10, 6), 'num', 'ks'],
    ['numbers with 5 + 1 values over both', numbers(500, 5), Float64Array.of(9), 'num', 'ks'],
    ['numbers with 5 values, large', numbers(1001, 5), numbers(10, 5), 'num', 'jensenshannon'],
    ['numbers with 6 values, large', numbers(1001, 6), numbers(10, 6), 'num', 'wasserstein'],
  ]
  it.each(table)('%s', (_, reference, current, type, expected) => {
    expect(defaultStatTestId(reference, current, type)).toBe(expected)
  })
})
