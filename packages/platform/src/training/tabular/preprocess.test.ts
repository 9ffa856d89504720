import { describe, expect, it } from 'vitest'
import { OnnxGraphBuilder, OnnxModel, addColumnInputs, columnWidth } from '../onnx/index.js'
import { fitPreprocessing, onnxFeeds, transform } from './preprocess.js'
import type { Preprocessing } from './preprocess.js'
import { syntheticTable, unusualRows } from './test-support/synthetic-table.js'
import type { TabularTable } from './types.js'

const small: TabularTable = {
  rowCount: 6,
  columns: [
    { name: 'x', type: 'float', values: Float64Array.of(1, Number.NaN, 3, 10, 4, 1000) },
    { name: 'ok', type: 'boolean', values: Float64Array.of(1, 0, 1, Number.NaN, 1, 0) },
    { name: 's', type: 'string', values: ['b', 'a', null, 'b', 'c', 'a'] },
    {
      name: 'd',
      type: 'datetime',
      values: Float64Array.of(
        Date.parse('2020-01-06'),
        Date.parse('2020-02-29'),
        Number.NaN,
        Date.parse('2021-03-01'),
        Date.parse('2021-12-31'),
        Date.parse('2022-01-01'),
      ),
    },
  ],
}
// Rows 0–4 train; row 5 (x = 1000) must not move any fitted value.
const TRAIN_ROWS = [0, 1, 2, 3, 4]

describe('fitPreprocessing', () => {
  it('gbdt: medians of the training rows, top categories as ordinal codes, date parts without hour', () => {
    const prep = fitPreprocessing(small, ['x', 'ok', 's', 'd'], TRAIN_ROWS, 'gbdt', 1)
    expect(prep.columns).toEqual([
      { kind: 'numeric', name: 'x', fill: 3.5 },
      { kind: 'numeric', name: 'ok', fill: 1 },
      { kind: 'ordinal', name: 's', categories: ['b'], unknownValue: Number.NaN },
      { kind: 'datetime', name: 'd', parts: ['year', 'month', 'day', 'dayofweek'] },
    ])
    expect(prep.features).toEqual(['x', 'ok', 's', 'd_year', 'd_month', 'd_day', 'd_dayofweek'])
    expect(prep.categorical).toEqual([false, false, true, false, false, false, false])
    const m = transform(prep, small)
    expect(Array.from(m[0]!)).toEqual([1, 3.5, 3, 10, 4, 1000])
    expect(Array.from(m[2]!)).toEqual([0, Number.NaN, Number.NaN, 0, Number.NaN, Number.NaN])
    // 2020-01-06 was a Monday (0); 2020-02-29 a Saturday (5).
    expect(m.slice(3).map((c) => c[0])).toEqual([2020, 1, 6, 0])
    expect(m.slice(3).map((c) => c[1])).toEqual([2020, 2, 29, 5])
    expect(m.slice(3).map((c) => c[2])).toEqual([NaN, NaN, NaN, NaN])
  })

  it('linear: scaling after imputation, one-hot by frequency then name, filled date parts', () => {
    const prep = fitPreprocessing(small, ['x', 's', 'd'], TRAIN_ROWS, 'logistic', 100)
    const x = prep.columns[0]!
    // x imputed on the training rows: 1, 3.5, 3, 10, 4 → mean 4.3, population sd.
    const sd = Math.sqrt([1, 3.5, 3, 10, 4].reduce((s, v) => s + (v - 4.3) ** 2, 0) / 5)
    expect(x).toEqual({
      kind: 'numeric',
      name: 'x',
      fill: 3.5,
      scale: { mean: Math.fround(4.3), scale: Math.fround(sd) },
    })
    expect(prep.columns[1]).toEqual({ kind: 'onehot', name: 's', categories: ['b', 'a', 'c'] })
    expect(prep.features.slice(1, 4)).toEqual(['s=b', 's=a', 's=c'])
    const d = prep.columns[2]!
    // Training dates 2020-01-06 (Mon), 2020-02-29 (Sat), 2021-03-01 (Mon), 2021-12-31 (Fri).
    expect(d.kind === 'datetime' && d.fill).toEqual([2020.5, 2.5, 17.5, 2])
  })

  it('drops a string column with no values and names a missing column', () => {
    const empty: TabularTable = {
      rowCount: 2,
      columns: [
        { name: 'e', type: 'string', values: [null, ''] },
        { name: 'v', type: 'float', values: Float64Array.of(1, 2) },
      ],
    }
    expect(fitPreprocessing(empty, ['e', 'v'], [0, 1], 'gbdt', 10).features).toEqual(['v'])
    expect(() => fitPreprocessing(empty, ['nope'], [0, 1], 'gbdt', 10)).toThrow(
      "column 'nope' is not in the table",
    )
  })
})

async function onnxMatrix(prep: Preprocessing, table: TabularTable): Promise<number[]> {
  const builder = new OnnxGraphBuilder()
  const matrix = addColumnInputs(builder, prep.columns)
  const width = prep.columns.reduce((n, c) => n + columnWidth(c), 0)
  builder.output(matrix, 'float', ['N', width])
  const model = await OnnxModel.load(builder.build())
  const out = await model.run(onnxFeeds(prep.columns, table), table.rowCount)
  return out[matrix]!.values as number[]
}

describe('transform agrees with the ONNX graph', () => {
  const table = syntheticTable(300, 7)
  const features = ['x', 'n', 'flag', 'color', 'when']
  const rows = Array.from({ length: 200 }, (_, i) => i)
  for (const algo of ['gbdt', 'linear'] as const) {
    it(`${algo}: every feature to 1e-5, NaN where NaN, on training and unseen rows`, async () => {
      const prep = fitPreprocessing(table, features, rows, algo, 3)
      for (const input of [table, unusualRows()]) {
        const expected = transform(prep, input)
        const actual = await onnxMatrix(prep, input)
        const width = expected.length
        expect(actual).toHaveLength(width * input.rowCount)
        for (let i = 0; i < input.rowCount; i++) {
          for (let f = 0; f < width; f++) {
            const e = expected[f]![i]!
            const a = actual[i * width + f]!
            if (Number.isNaN(e)) expect(a, `${prep.features[f]} row ${i}`).toBeNaN()
            else expect(Math.abs(a - e), `${prep.features[f]} row ${i}`).toBeLessThan(1e-5)
          }
        }
      }
    })
  }
})
