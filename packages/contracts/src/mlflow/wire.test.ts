import { describe, expect, it } from 'vitest'
import { z } from 'zod'
import { MlflowGetMetricHistoryRequest } from './metrics.js'
import { MlflowLogBatchRequest, MlflowSearchRunsRequest, MlflowUpdateRunRequest } from './runs.js'
import { double, experimentIdList, int64, message, runMessage, stringList } from './wire.js'

function issues(schema: z.ZodType, value: unknown) {
  const result = schema.safeParse(value)
  return result.success
    ? []
    : result.error.issues.map((i) => ({ code: i.code, path: i.path, message: i.message }))
}

describe('int64', () => {
  it('takes numbers and numeric strings, as protobuf JSON allows', () => {
    expect(int64.parse(1_700_000_000_000)).toBe(1_700_000_000_000)
    expect(int64.parse('1700000000000')).toBe(1_700_000_000_000)
    expect(int64.parse('-3')).toBe(-3)
  })

  it('refuses fractions and text, and reports a missing value as missing', () => {
    expect(issues(int64, 1.5)).toEqual([
      {
        code: 'invalid_type',
        path: [],
        message: 'Invalid input: expected integer, received number',
      },
    ])
    expect(issues(int64, 'ten')[0]?.message).toBe(
      'Invalid input: expected integer, received string',
    )
    expect(issues(z.object({ t: int64 }), {})).toEqual([
      {
        code: 'invalid_type',
        path: ['t'],
        message: 'Invalid input: expected integer, received undefined',
      },
    ])
  })
})

describe('double', () => {
  it('takes protobuf JSON spellings of special values and numeric strings', () => {
    expect(double.parse('NaN')).toBeNaN()
    expect(double.parse('Infinity')).toBe(Number.POSITIVE_INFINITY)
    expect(double.parse('-Infinity')).toBe(Number.NEGATIVE_INFINITY)
    expect(double.parse('1e3')).toBe(1000)
    expect(double.parse(0.25)).toBe(0.25)
  })

  it('refuses text, booleans and empty strings', () => {
    for (const bad of ['high', true, '', ' ']) {
      expect(issues(double, bad)[0]?.code).toBe('invalid_type')
    }
  })
})

describe('repeated fields', () => {
  it('accept a single query value as a one-item list', () => {
    expect(stringList.parse('a')).toEqual(['a'])
    expect(stringList.parse(['a', 'b'])).toEqual(['a', 'b'])
    expect(experimentIdList.parse('0')).toEqual(['0'])
    expect(experimentIdList.parse([0, '1'])).toEqual(['0', '1'])
  })
})

describe('messages', () => {
  it('ignore unknown fields and read null as unset', () => {
    const schema = message({ a: z.string().optional(), b: z.number().default(7) })
    expect(schema.parse({ a: null, b: null, newer_field: 1 })).toEqual({ b: 7 })
  })

  it('copy run_uuid into run_id, and prefer run_id when both are given', () => {
    const schema = runMessage({})
    expect(schema.parse({ run_uuid: 'u' })).toEqual({ run_id: 'u' })
    expect(schema.parse({ run_id: 'i', run_uuid: 'u' })).toMatchObject({ run_id: 'i' })
    expect(schema.parse({ run_id: '', run_uuid: 'u' })).toMatchObject({ run_id: 'u' })
    expect(issues(schema, {})).toEqual([
      {
        code: 'invalid_type',
        path: ['run_id'],
        message: 'Invalid input: expected string, received undefined',
      },
    ])
  })
})

describe('request schemas', () => {
  it('parse a log-batch as the Python client sends it', () => {
    const parsed = MlflowLogBatchRequest.parse({
      run_id: 'r',
      metrics: [
        { key: 'm', value: 'NaN', timestamp: '5', step: '2' },
        { key: 'n', value: 1, timestamp: 6 },
      ],
      params: [{ key: 'p' }],
    })
    expect(parsed.metrics[0]?.value).toBeNaN()
    expect(parsed.metrics.map((m) => [m.timestamp, m.step])).toEqual([
      [5, 2],
      [6, undefined],
    ])
    expect(parsed).toMatchObject({ params: [{ key: 'p', value: '' }], tags: [] })
  })

  it('parse GET queries: numbers as strings, repeated keys, enum names and numbers', () => {
    expect(
      MlflowSearchRunsRequest.parse({
        experiment_ids: '3',
        max_results: '10',
        run_view_type: '3',
        order_by: 'x',
      }),
    ).toEqual({ experiment_ids: ['3'], max_results: 10, run_view_type: 'ALL', order_by: ['x'] })
    expect(
      MlflowGetMetricHistoryRequest.parse({ run_uuid: 'r', metric_key: 'm', max_results: '5' }),
    ).toEqual({
      run_id: 'r',
      metric_key: 'm',
      max_results: 5,
    })
    expect(MlflowUpdateRunRequest.parse({ run_id: 'r', status: 3 }).status).toBe('FINISHED')
  })
})
