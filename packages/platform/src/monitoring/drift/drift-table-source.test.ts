import { describe, expect, it } from 'vitest'
import { driftTableFromDatasetColumns } from './drift-table-source.js'

describe('driftTableFromDatasetColumns', () => {
  const columns = [
    { name: 'amount', type: 'float' as const, values: Float64Array.of(1.5, NaN) },
    { name: 'paid', type: 'boolean' as const, values: Float64Array.of(1, 0, NaN) },
    { name: 'city', type: 'string' as const, values: ['Oslo', null] },
    { name: 'at', type: 'datetime' as const, values: Float64Array.of(0) },
  ]

  it('keeps numbers, reads booleans as categories and leaves datetimes out', () => {
    expect(driftTableFromDatasetColumns(columns)).toEqual([
      { name: 'amount', type: 'num', values: Float64Array.of(1.5, NaN) },
      { name: 'paid', type: 'cat', values: ['true', 'false', null] },
      { name: 'city', type: 'cat', values: ['Oslo', null] },
    ])
  })

  it('takes a datetime column named explicitly, as ISO text', () => {
    expect(driftTableFromDatasetColumns(columns, ['at'])).toEqual([
      { name: 'at', type: 'cat', values: ['1970-01-01T00:00:00.000Z'] },
    ])
  })
})
