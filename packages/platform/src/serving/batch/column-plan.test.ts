import { describe, expect, it } from 'vitest'
import { planColumn, planColumns } from './column-plan.js'

describe('planColumn', () => {
  it('reads numbers from numeric and boolean columns as they are, and parses text row by row', () => {
    const field = { name: 'x', type: 'double' as const }
    expect(planColumn(field, 'number', 'float32', 'BIGINT')).toMatchObject({
      valueSql: 'CAST("x" AS DOUBLE)',
      rawSql: null,
      wrongType: null,
    })
    expect(planColumn(field, 'number', 'float32', 'BOOLEAN').valueSql).toBe('CAST("x" AS DOUBLE)')
    expect(planColumn(field, 'number', 'float32', 'VARCHAR')).toMatchObject({
      rawSql: 'CAST("x" AS VARCHAR)',
      wrongType: null,
    })
    expect(planColumn(field, 'number', 'float32', 'DATE').wrongType).toBe('DATE')
  })

  it('takes text and whole numbers for strings, and refuses other types', () => {
    const field = { name: 'code', type: 'string' as const }
    expect(planColumn(field, 'string', 'string', 'INTEGER').wrongType).toBeNull()
    expect(planColumn(field, 'string', 'string', 'VARCHAR').valueSql).toBe(
      'CAST("code" AS VARCHAR)',
    )
    expect(planColumn(field, 'string', 'string', 'DOUBLE').wrongType).toBe('DOUBLE')
  })

  it('takes dates, timestamps, epoch milliseconds and ISO-8601 text for date-times', () => {
    const field = { name: 'at', type: 'datetime' as const }
    expect(planColumn(field, 'datetime', 'int64', 'TIMESTAMP WITH TIME ZONE').valueSql).toBe(
      'CAST(epoch_ms("at") AS DOUBLE)',
    )
    expect(planColumn(field, 'datetime', 'int64', 'DATE').rawSql).toBeNull()
    expect(planColumn(field, 'datetime', 'int64', 'BIGINT').valueSql).toBe('CAST("at" AS DOUBLE)')
    expect(planColumn(field, 'datetime', 'int64', 'VARCHAR').valueSql).toBe(
      'CAST(epoch_ms(TRY_CAST("at" AS TIMESTAMPTZ)) AS DOUBLE)',
    )
  })
})

describe('planColumns', () => {
  const columns = [{ name: 'x', duckType: 'DOUBLE' }]

  it('refuses a signature input the graph does not take as the signature says', () => {
    expect(() =>
      planColumns([{ name: 'x', type: 'string' }], new Map([['x', 'float32']]), columns, 'f.csv'),
    ).toThrow("model input 'x' is string in the signature but float32 in the ONNX graph")
  })

  it('refuses a tensor input wider than one column', () => {
    const field = {
      name: 'x',
      type: 'tensor' as const,
      tensorSpec: { dtype: 'float32', shape: [-1, 4] },
    }
    expect(() => planColumns([field], new Map([['x', 'float32']]), columns, 'f.csv')).toThrow(
      "model input 'x' has shape [-1, 4]; batch scoring feeds one column per input ([-1] or [-1, 1])",
    )
  })
})
