import { existsSync, mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import path from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import {
  OnnxModel,
  type TabularModel,
  type TabularTable,
  onnxFeeds,
  trainTabular,
} from '../../training/index.js'
import { syntheticTable } from '../../training/tabular/test-support/synthetic-table.js'
import { quoteLiteral } from './sql-text.js'
import { type BatchProgress, scoreBatch } from './score-batch.js'
import { batchModelOf, duckRows, onlineAnswers, writeCsv } from './test-support/score-fixtures.js'

const FEATURES = ['x', 'n', 'flag', 'color', 'when']
const TEST_ROWS = 400

describe('scoreBatch', () => {
  let dir: string
  let classifier: TabularModel
  let regressor: TabularModel
  let rows: TabularTable
  let csv: string

  beforeAll(async () => {
    dir = mkdtempSync(path.join(tmpdir(), 'ballast-score-'))
    const train = syntheticTable(3000, 1)
    classifier = await trainTabular(train, {
      target: 'kind',
      task: 'classification',
      algo: 'gbdt',
      features: FEATURES,
      params: { numTrees: '20', seed: '1' },
    })
    regressor = await trainTabular(train, {
      target: 'y',
      task: 'regression',
      algo: 'gbdt',
      features: FEATURES,
      params: { numTrees: '20', seed: '1' },
    })
    const all = syntheticTable(TEST_ROWS, 2)
    rows = { rowCount: all.rowCount, columns: all.columns.filter((c) => FEATURES.includes(c.name)) }
    csv = path.join(dir, 'rows.csv')
    writeCsv(csv, rows)
  }, 120_000)
  afterAll(() => rmSync(dir, { recursive: true, force: true }))

  it('writes every input column, the predicted class and one probability per class, as predict() and the ONNX graph answer', async () => {
    const output = path.join(dir, 'classes.parquet')
    const result = await scoreBatch({
      model: batchModelOf(classifier),
      input: { path: csv },
      output,
    })
    expect(result.rows).toBe(TEST_ROWS)
    expect(result.columns).toEqual([
      'id',
      ...FEATURES,
      'prediction',
      'probability_high',
      'probability_low',
      'probability_mid',
    ])
    const out = await duckRows(`SELECT * FROM read_parquet(${quoteLiteral(output)})`)
    expect(out.map((r) => r.id)).toEqual(Array.from({ length: TEST_ROWS }, (_, i) => BigInt(i + 1)))

    const expected = classifier.predict(rows)
    expect(out.map((r) => r.prediction)).toEqual(expected.labels)
    // The graph's own probabilities, fed as training feeds them: equal to the last bit.
    const onnx = await OnnxModel.load(classifier.onnx)
    const graph = await onnx.run(onnxFeeds(classifier.preprocessing, rows), TEST_ROWS)
    const probs = graph.probabilities!.values as number[]
    const K = classifier.classes!.length
    classifier.classes!.forEach((cls, k) => {
      const column = out.map((r) => r[`probability_${cls}`] as number)
      expect(column).toEqual(Array.from({ length: TEST_ROWS }, (_, i) => probs[i * K + k]))
      column.forEach((p, i) =>
        expect(Math.abs(p - expected.probabilities![k]![i]!)).toBeLessThan(1e-5),
      )
    })
  })

  it('answers as the online path to the last bit, batch after batch', async () => {
    const model = batchModelOf(classifier)
    const expected = await onlineAnswers(classifier, rows, FEATURES)
    const output = path.join(dir, 'online.parquet')
    // 7 batches, the last one short.
    await scoreBatch({ model, input: { path: csv }, output, batchSize: 64 })
    const out = await duckRows(
      `SELECT prediction, probability_high AS high, probability_low AS low, ` +
        `probability_mid AS mid FROM read_parquet(${quoteLiteral(output)})`,
    )
    expect(out).toHaveLength(TEST_ROWS)
    expect(out.map(({ prediction, ...probabilities }) => ({ prediction, probabilities }))).toEqual(
      expected,
    )
  })

  it('scores Parquet input into a regressor’s prediction column, in small batches with the same answers', async () => {
    const parquet = path.join(dir, 'rows.parquet')
    await duckRows(
      `COPY (SELECT * FROM read_csv(${quoteLiteral(csv)})) TO ${quoteLiteral(parquet)} (FORMAT parquet)`,
    )
    const whole = path.join(dir, 'whole.parquet')
    const small = path.join(dir, 'small.parquet')
    const progress: BatchProgress[] = []
    const model = batchModelOf(regressor)
    await scoreBatch({ model, input: { path: parquet }, output: whole })
    const result = await scoreBatch({
      model,
      input: { path: parquet },
      output: small,
      batchSize: 7,
      onProgress: (p) => progress.push(p),
    })
    expect(result.rows).toBe(TEST_ROWS)
    // Bounded memory: the feeds never hold more than a batch, and the total is known from Parquet.
    expect(progress).toHaveLength(Math.ceil(TEST_ROWS / 7))
    expect(progress.at(-1)).toEqual({ done: TEST_ROWS, total: TEST_ROWS })
    expect(progress.every((p, i) => p.done === Math.min((i + 1) * 7, TEST_ROWS))).toBe(true)

    const a = await duckRows(`SELECT id, prediction FROM read_parquet(${quoteLiteral(whole)})`)
    const b = await duckRows(`SELECT id, prediction FROM read_parquet(${quoteLiteral(small)})`)
    expect(b.map((r) => r.id)).toEqual(a.map((r) => r.id))
    // onnxruntime sums trees in another order for small batches: equal to float32 rounding.
    b.forEach((r, i) =>
      expect(Math.abs((r.prediction as number) - (a[i]!.prediction as number))).toBeLessThan(1e-5),
    )
    const graph = await (
      await OnnxModel.load(regressor.onnx)
    ).run(onnxFeeds(regressor.preprocessing, rows), TEST_ROWS)
    expect(a.map((r) => r.prediction)).toEqual(graph.prediction!.values)
    const values = regressor.predict(rows).values!
    a.forEach((r, i) => expect(Math.abs((r.prediction as number) - values[i]!)).toBeLessThan(1e-4))
  })

  it('refuses a value of the wrong type, naming its row and column, and writes nothing', async () => {
    const bad = path.join(dir, 'bad.csv')
    await duckRows(
      `COPY (SELECT * REPLACE (CASE WHEN id = 3 THEN 'three' ELSE CAST(x AS VARCHAR) END AS x) ` +
        `FROM read_csv(${quoteLiteral(csv)})) TO ${quoteLiteral(bad)} (HEADER)`,
    )
    const output = path.join(dir, 'bad.parquet')
    await expect(
      scoreBatch({ model: batchModelOf(classifier), input: { path: bad }, output, batchSize: 2 }),
    ).rejects.toThrow(`${bad}: row 3, column 'x': expected a number, got "three"`)
    expect(existsSync(output)).toBe(false)
  })

  it('refuses a non-finite number and a column of the wrong type, naming the row', async () => {
    const inf = path.join(dir, 'inf.parquet')
    await duckRows(
      `COPY (SELECT * REPLACE (CASE WHEN id = 5 THEN 'inf'::DOUBLE ELSE x END AS x) ` +
        `FROM read_csv(${quoteLiteral(csv)})) TO ${quoteLiteral(inf)} (FORMAT parquet)`,
    )
    const model = batchModelOf(classifier)
    const output = path.join(dir, 'never.parquet')
    await expect(scoreBatch({ model, input: { path: inf }, output })).rejects.toThrow(
      `row 5, column 'x': expected a finite number, got Infinity`,
    )
    const dated = path.join(dir, 'dated.parquet')
    await duckRows(
      `COPY (SELECT * REPLACE (CASE WHEN id >= 2 THEN DATE '2020-01-01' END AS color) ` +
        `FROM read_csv(${quoteLiteral(csv)})) TO ${quoteLiteral(dated)} (FORMAT parquet)`,
    )
    await expect(scoreBatch({ model, input: { path: dated }, output })).rejects.toThrow(
      `row 2, column 'color': expected text, got a DATE value`,
    )
  })

  it('refuses a file without a column the model needs, naming it', async () => {
    const partial = path.join(dir, 'partial.csv')
    await duckRows(
      `COPY (SELECT * EXCLUDE (color) FROM read_csv(${quoteLiteral(csv)})) TO ${quoteLiteral(partial)} (HEADER)`,
    )
    await expect(
      scoreBatch({
        model: batchModelOf(classifier),
        input: { path: partial },
        output: path.join(dir, 'x.parquet'),
      }),
    ).rejects.toThrow(
      `${partial} has no column 'color', which the model needs; it has id, x, n, flag, when`,
    )
  })

  it('counts rows across DuckDB chunks and batches: answers and the refused row stay exact', async () => {
    const many = syntheticTable(5000, 3)
    const table = {
      rowCount: many.rowCount,
      columns: many.columns.filter((c) => FEATURES.includes(c.name)),
    }
    const file = path.join(dir, 'many.csv')
    writeCsv(file, table)
    const output = path.join(dir, 'many.parquet')
    const model = batchModelOf(classifier)
    const result = await scoreBatch({ model, input: { path: file }, output, batchSize: 999 })
    expect(result.rows).toBe(5000)
    const out = await duckRows(`SELECT prediction FROM read_parquet(${quoteLiteral(output)})`)
    expect(out.map((r) => r.prediction)).toEqual(classifier.predict(table).labels)

    const bad = path.join(dir, 'many-bad.csv')
    await duckRows(
      `COPY (SELECT * REPLACE (CASE WHEN id = 4500 THEN 'soon' ELSE CAST("when" AS VARCHAR) END AS "when") ` +
        `FROM read_csv(${quoteLiteral(file)})) TO ${quoteLiteral(bad)} (HEADER)`,
    )
    await expect(
      scoreBatch({ model, input: { path: bad }, output, batchSize: 999 }),
    ).rejects.toThrow(
      `row 4500, column 'when': expected a date-time (ISO-8601 text or epoch milliseconds), got "soon"`,
    )
  })
})
