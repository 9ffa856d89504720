import { describe, expect, it } from 'vitest'
import { DATE_PARTS, datePartsOf } from './datetime-export.js'
import type { DatePart } from './datetime-export.js'
import { OnnxGraphBuilder } from './onnx-builder.js'
import { OnnxModel } from './onnx-runtime.js'
import { FEATURE_MATRIX, MISSING_DATETIME, addColumnInputs } from './preprocessing-export.js'
import type { ColumnSpec } from './preprocessing-export.js'

async function runColumns(
  columns: ColumnSpec[],
  feeds: Parameters<OnnxModel['run']>[0],
  rows: number,
) {
  const builder = new OnnxGraphBuilder()
  const matrix = addColumnInputs(builder, columns)
  const width = columns.reduce((n, c) => n + (c.kind === 'datetime' ? c.parts.length : 1), 0)
  builder.output(matrix, 'float', ['N', width])
  const model = await OnnxModel.load(builder.build())
  const out = await model.run(feeds, rows)
  return out[FEATURE_MATRIX]!.values as number[]
}

/** UTC parts by JavaScript's Date, the reference; Monday = 0. */
function dateReference(ms: number): Record<DatePart, number> {
  const d = new Date(ms)
  return {
    year: d.getUTCFullYear(),
    month: d.getUTCMonth() + 1,
    day: d.getUTCDate(),
    dayofweek: (d.getUTCDay() + 6) % 7,
    hour: d.getUTCHours(),
  }
}

// 1900..2100 with leap days (2000-02-29, 2096-02-29), the non-leap 1900 and 2100, negative
// epochs, times just before midnight, and a seeded spread of instants.
function sampleInstants(): number[] {
  const fixed = [
    '1900-01-01T00:00:00Z',
    '1900-02-28T23:59:59.999Z',
    '1900-03-01T00:00:00Z',
    '1904-02-29T12:00:00Z',
    '1969-12-31T23:59:59.999Z',
    '1970-01-01T00:00:00Z',
    '1999-12-31T23:00:00Z',
    '2000-02-29T06:30:00Z',
    '2000-03-01T00:00:00Z',
    '2024-02-29T23:59:59Z',
    '2096-02-29T01:00:00Z',
    '2100-02-28T18:00:00Z',
    '2100-03-01T00:00:00Z',
    '2100-12-31T23:59:59.999Z',
  ].map((s) => Date.parse(s))
  const lo = Date.parse('1900-01-01T00:00:00Z')
  const hi = Date.parse('2101-01-01T00:00:00Z')
  let state = 12345
  const spread = Array.from({ length: 2000 }, () => {
    state = (state * 1103515245 + 12345) % 2147483648
    return lo + Math.floor((state / 2147483648) * (hi - lo))
  })
  return [...fixed, ...spread]
}

describe('datetime column', () => {
  it('computes year, month, day, dayofweek and hour in the graph as Date does in UTC', async () => {
    const instants = sampleInstants()
    const parts = [...DATE_PARTS]
    const values = await runColumns(
      [{ kind: 'datetime', name: 'when', parts }],
      { when: BigInt64Array.from(instants, (ms) => BigInt(ms)) },
      instants.length,
    )
    const expected = instants.flatMap((ms) => parts.map((p) => dateReference(ms)[p]))
    expect(values).toEqual(expected)
    const js = { year: 0, month: 0, day: 0, dayofweek: 0, hour: 0 }
    const computed = instants.flatMap((ms) => {
      datePartsOf(ms, js)
      return parts.map((p) => js[p])
    })
    expect(computed).toEqual(expected)
  })

  it('gives NaN parts for a missing date, then the fill and the scaling', async () => {
    const ms = Date.parse('2024-02-29T13:00:00Z')
    const raw = await runColumns(
      [{ kind: 'datetime', name: 'd', parts: ['month', 'hour'] }],
      { d: BigInt64Array.of(MISSING_DATETIME, BigInt(ms)) },
      2,
    )
    expect(raw).toEqual([Number.NaN, Number.NaN, 2, 13])
    const filled = await runColumns(
      [
        {
          kind: 'datetime',
          name: 'd',
          parts: ['month', 'hour'],
          fill: [6, 12],
          scale: { mean: [6, 10], scale: [2, 0] },
        },
      ],
      { d: BigInt64Array.of(MISSING_DATETIME, BigInt(ms)) },
      2,
    )
    // Missing → (6, 12) → ((6-6)/2, 12-10); 2024-02-29 13h → ((2-6)/2, 13-10); scale 0 counts as 1.
    expect(filled).toEqual([0, 2, -2, 3])
  })

  it('refuses a fill whose length differs from the parts', () => {
    expect(() =>
      addColumnInputs(new OnnxGraphBuilder(), [
        { kind: 'datetime', name: 'd', parts: ['year', 'month'], fill: [1] },
      ]),
    ).toThrow("column 'd': fill has 1 values for 2 date parts")
  })
})

describe('numeric column with scale', () => {
  it('imputes NaN, then standardizes', async () => {
    const values = await runColumns(
      [{ kind: 'numeric', name: 'x', fill: 4, scale: { mean: 2, scale: 4 } }],
      { x: Float32Array.of(Number.NaN, 10, -2) },
      3,
    )
    expect(values).toEqual([0.5, 2, -1])
  })
})
