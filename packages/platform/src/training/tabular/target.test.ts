import { describe, expect, it } from 'vitest'
import { encodeTarget } from './target.js'
import type { TabularTable } from './types.js'

const table: TabularTable = {
  rowCount: 5,
  columns: [
    { name: 's', type: 'string', values: ['sun', null, 'rain', 'fog', 'sun'] },
    { name: 'i', type: 'integer', values: Float64Array.of(10, 2, Number.NaN, 2, 10) },
    { name: 'f', type: 'float', values: Float64Array.of(1.5, 2, 3, Number.NaN, 4) },
    { name: 'txt', type: 'string', values: ['1.5', '2', '', 'x', '3'] },
  ],
}

describe('encodeTarget', () => {
  it('string classes sorted by text; missing rows dropped', () => {
    const t = encodeTarget(table, 's', 'classification')
    expect(t.classes).toEqual(['fog', 'rain', 'sun'])
    expect(Array.from(t.label)).toEqual([2, NaN, 1, 0, 2])
    expect(Array.from(t.rows)).toEqual([0, 2, 3, 4])
    expect(t.dropped).toBe(1)
  })

  it('integer classes sorted numerically (2 before 10)', () => {
    const t = encodeTarget(table, 'i', 'classification')
    expect(t.classes).toEqual(['2', '10'])
    expect(Array.from(t.label)).toEqual([1, 0, NaN, 0, 1])
  })

  it('regression takes numbers and numeric text, naming the first bad row', () => {
    expect(Array.from(encodeTarget(table, 'f', 'regression').label)).toEqual([1.5, 2, 3, NaN, 4])
    expect(() => encodeTarget(table, 'txt', 'regression')).toThrow(
      "target column 'txt' must be numeric for regression; row 3 has 'x'",
    )
    expect(() => encodeTarget(table, 'f', 'classification')).toThrow(
      "target column 'f' must hold class labels (integers or strings) for classification; row 0 has 1.5",
    )
  })
})
