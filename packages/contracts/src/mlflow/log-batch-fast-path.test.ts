import { describe, expect, it } from 'vitest'
import { parseWellFormedLogBatch } from './log-batch-fast-path.js'
import { MlflowLogBatchRequest } from './runs.js'

/** Bodies as they arrive: through JSON, so that no value exists that JSON cannot carry. */
function wire(body: unknown): unknown {
  return JSON.parse(JSON.stringify(body)) as unknown
}

const RUN = 'a'.repeat(32)

describe('parseWellFormedLogBatch', () => {
  const wellFormed: Array<[string, unknown]> = [
    [
      'metrics only',
      { run_id: RUN, metrics: [{ key: 'loss', value: 0.5, timestamp: 1, step: 2 }] },
    ],
    [
      'special values, no step, null step, negative step, 0 and int64 bounds',
      {
        run_id: RUN,
        metrics: [
          { key: 'a', value: 'NaN', timestamp: 0 },
          { key: 'a', value: 'Infinity', timestamp: 1, step: null },
          { key: 'a', value: '-Infinity', timestamp: 2, step: -7 },
          { key: 'b', value: -0.25, timestamp: 2 ** 53, step: -(2 ** 63) },
          { key: 'b', value: 1e308, timestamp: 3, step: 2 ** 63 },
        ],
      },
    ],
    [
      'params and tags, values missing or null, unknown fields anywhere',
      {
        run_id: RUN,
        future: { x: 1 },
        metrics: [{ key: 'm', value: 1, timestamp: 5, step: 1, extra: 'x' }],
        params: [
          { key: 'p', value: '1' },
          { key: 'q', value: null },
          { key: 'r', note: 1 },
        ],
        tags: [{ key: 't', value: '' }],
      },
    ],
    ['lists null or absent', { run_id: RUN, metrics: null, tags: [{ key: 't', value: 'v' }] }],
    ['nothing to log', { run_id: RUN }],
    ['run_uuid beside run_id', { run_id: RUN, run_uuid: 'other' }],
  ]

  it.each(wellFormed)('gives exactly what the schema gives: %s', (_name, body) => {
    const raw = wire(body)
    const fast = parseWellFormedLogBatch(raw)
    expect(fast).toBeDefined()
    expect(fast).toStrictEqual(MlflowLogBatchRequest.parse(raw))
  })

  it('reads special values and omits an absent step, as the schema does', () => {
    const parsed = parseWellFormedLogBatch(
      wire({ run_id: RUN, metrics: [{ key: 'a', value: 'NaN', timestamp: 3 }] }),
    )
    expect(parsed?.metrics[0]?.value).toBeNaN()
    expect(Object.keys(parsed?.metrics[0] ?? {})).toEqual(['key', 'value', 'timestamp'])
  })

  // Each of these is left to the schema: some it accepts in its own way, the rest it refuses.
  const leftToSchema: Array<[string, unknown]> = [
    ['not an object', [1, 2]],
    ['no run_id', { metrics: [] }],
    ['empty run_id', { run_id: '', metrics: [] }],
    ['run_uuid only (deprecated alias)', { run_uuid: RUN, metrics: [] }],
    ['run_id a number', { run_id: 7 }],
    ['metrics not a list', { run_id: RUN, metrics: { key: 'm' } }],
    ['metric not an object', { run_id: RUN, metrics: ['m'] }],
    ['metric key missing', { run_id: RUN, metrics: [{ value: 1, timestamp: 1 }] }],
    ['metric key empty', { run_id: RUN, metrics: [{ key: '', value: 1, timestamp: 1 }] }],
    [
      'metric value a numeric string',
      { run_id: RUN, metrics: [{ key: 'm', value: '1.5', timestamp: 1 }] },
    ],
    ['metric value text', { run_id: RUN, metrics: [{ key: 'm', value: 'high', timestamp: 1 }] }],
    ['metric value null', { run_id: RUN, metrics: [{ key: 'm', value: null, timestamp: 1 }] }],
    ['metric value boolean', { run_id: RUN, metrics: [{ key: 'm', value: true, timestamp: 1 }] }],
    ['timestamp missing', { run_id: RUN, metrics: [{ key: 'm', value: 1 }] }],
    ['timestamp a string', { run_id: RUN, metrics: [{ key: 'm', value: 1, timestamp: '5' }] }],
    ['timestamp a fraction', { run_id: RUN, metrics: [{ key: 'm', value: 1, timestamp: 1.5 }] }],
    [
      'timestamp past int64',
      { run_id: RUN, metrics: [{ key: 'm', value: 1, timestamp: 2 ** 64 }] },
    ],
    ['step a string', { run_id: RUN, metrics: [{ key: 'm', value: 1, timestamp: 1, step: '2' }] }],
    [
      'step a fraction',
      { run_id: RUN, metrics: [{ key: 'm', value: 1, timestamp: 1, step: 0.5 }] },
    ],
    ['param value a number', { run_id: RUN, params: [{ key: 'p', value: 1 }] }],
    ['param key missing', { run_id: RUN, params: [{ value: '1' }] }],
    ['tags not a list', { run_id: RUN, tags: 'x' }],
    ['tag not an object', { run_id: RUN, tags: [null] }],
    [
      'one bad point after good ones',
      {
        run_id: RUN,
        metrics: [
          { key: 'm', value: 1, timestamp: 1 },
          { key: 'm', value: 'x', timestamp: 1 },
        ],
      },
    ],
  ]

  it.each(leftToSchema)('leaves it to the schema: %s', (_name, body) => {
    expect(parseWellFormedLogBatch(wire(body))).toBeUndefined()
  })

  it('leaves the deprecated run_uuid and numeric strings to the schema, which accepts them', () => {
    const body = wire({ run_uuid: RUN, metrics: [{ key: 'm', value: '2.5', timestamp: '7' }] })
    expect(parseWellFormedLogBatch(body)).toBeUndefined()
    expect(MlflowLogBatchRequest.parse(body)).toStrictEqual({
      run_id: RUN,
      metrics: [{ key: 'm', value: 2.5, timestamp: 7 }],
      params: [],
      tags: [],
    })
  })
})
