import { describe, expect, it } from 'vitest'
import { parseExperimentOrderBy, parseOrderBy } from './order-by-parser.js'

describe('parseOrderBy', () => {
  it('parses fields, aliases and directions, ascending by default', () => {
    expect(
      parseOrderBy([
        'metrics.acc DESC',
        'params.lr',
        'attributes.start_time ASC',
        'tags.`x y`',
        'tags."mlflow.runName" desc',
        'attr.end_time',
        'status',
      ]),
    ).toEqual([
      { type: 'metric', key: 'acc', ascending: false },
      { type: 'param', key: 'lr', ascending: true },
      { type: 'attribute', key: 'start_time', ascending: true },
      { type: 'tag', key: 'x y', ascending: true },
      { type: 'tag', key: 'mlflow.runName', ascending: false },
      { type: 'attribute', key: 'end_time', ascending: true },
      { type: 'attribute', key: 'status', ascending: true },
    ])
  })

  it('resolves the created alias to start_time', () => {
    expect(parseOrderBy(['created desc'])).toEqual([
      { type: 'attribute', key: 'start_time', ascending: false },
    ])
  })

  it('returns no clauses when none are given', () => {
    expect(parseOrderBy(undefined)).toEqual([])
    expect(parseOrderBy([])).toEqual([])
  })

  it.each([
    [
      ['metrics.acc DOWN'],
      "Invalid order_by clause 'metrics.acc DOWN': expected ASC or DESC but found 'DOWN' at position 12",
    ],
    [
      ['metrics.acc DESC x'],
      "Invalid order_by clause 'metrics.acc DESC x': expected the end of the clause but found 'x' at position 17",
    ],
    [
      [''],
      "Invalid order_by clause '': expected a field such as metrics.<key> but found end of input at position 0",
    ],
    [
      ['datasets.name'],
      "Invalid order_by clause 'datasets.name': unknown entity type 'datasets' in 'datasets.name' at position 0",
    ],
    [
      ['attributes.lifecycle_stage'],
      "Invalid order_by clause 'attributes.lifecycle_stage': unknown attribute 'lifecycle_stage'",
    ],
    [
      ['metrics.a', 'metric.a DESC'],
      "Invalid order_by clause 'metric.a DESC': metrics.a is already ordered by an earlier clause",
    ],
    [
      ['metrics.acc > 1'],
      "Invalid order_by clause 'metrics.acc > 1': expected ASC or DESC but found '>' at position 12",
    ],
  ])('rejects %j', (orderBy, message) => {
    expect(() => parseOrderBy(orderBy)).toThrow(message)
    expect(() => parseOrderBy(orderBy)).toThrow(
      expect.objectContaining({ code: 'INVALID_PARAMETER_VALUE' }),
    )
  })
})

describe('parseExperimentOrderBy', () => {
  it('accepts the four experiment fields with or without a prefix', () => {
    expect(
      parseExperimentOrderBy([
        'name',
        'experiment_id DESC',
        'attributes.creation_time',
        'last_update_time asc',
      ]),
    ).toEqual([
      { type: 'attribute', key: 'name', ascending: true },
      { type: 'attribute', key: 'experiment_id', ascending: false },
      { type: 'attribute', key: 'creation_time', ascending: true },
      { type: 'attribute', key: 'last_update_time', ascending: true },
    ])
  })

  it('rejects tags and run fields', () => {
    expect(() => parseExperimentOrderBy(['tags.team'])).toThrow(
      "Invalid order_by clause 'tags.team': unknown entity type 'tags' in 'tags.team' at position 0; valid types are attributes",
    )
    expect(() => parseExperimentOrderBy(['start_time'])).toThrow(
      "unknown field 'start_time' at position 0",
    )
  })
})
