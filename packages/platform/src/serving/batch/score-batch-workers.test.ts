import { existsSync, mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import path from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { type TabularModel, type TabularTable, trainTabular } from '../../training/index.js'
import { syntheticTable } from '../../training/tabular/test-support/synthetic-table.js'
import { type BatchProgress, scoreBatch } from './score-batch.js'
import { quoteLiteral } from './sql-text.js'
import { batchModelOf, duckRows, onlineAnswers, writeCsv } from './test-support/score-fixtures.js'

const FEATURES = ['x', 'n', 'flag', 'color', 'when']
const TEST_ROWS = 1000
const BATCH = 64

describe('scoreBatch on worker threads', () => {
  let dir: string
  let classifier: TabularModel
  let rows: TabularTable
  let csv: string
  let parquet: string

  beforeAll(async () => {
    dir = mkdtempSync(path.join(tmpdir(), 'ballast-score-workers-'))
    // Over 80 trees: onnxruntime with two intra-op threads would split the trees between them
    // and add the two sums, which moves some probabilities in the last bits.
    classifier = await trainTabular(syntheticTable(3000, 1), {
      target: 'kind',
      task: 'classification',
      algo: 'gbdt',
      features: FEATURES,
      params: { numTrees: '100', earlyStoppingRounds: '0', seed: '1' },
    })
    const all = syntheticTable(TEST_ROWS, 2)
    rows = { rowCount: all.rowCount, columns: all.columns.filter((c) => FEATURES.includes(c.name)) }
    csv = path.join(dir, 'rows.csv')
    writeCsv(csv, rows)
    parquet = path.join(dir, 'rows.parquet')
    await duckRows(
      `COPY (SELECT * FROM read_csv(${quoteLiteral(csv)})) TO ${quoteLiteral(parquet)} (FORMAT parquet)`,
    )
  }, 120_000)
  afterAll(() => rmSync(dir, { recursive: true, force: true }))

  it('answers a 100-tree model as the online path to the last bit, in this thread and on 1 to 3 workers', async () => {
    const model = batchModelOf(classifier)
    const expected = await onlineAnswers(classifier, rows, FEATURES)
    for (const workers of [1, 2, 3]) {
      const output = path.join(dir, `online-${workers}.parquet`)
      const progress: BatchProgress[] = []
      const result = await scoreBatch({
        model,
        input: { path: parquet },
        output,
        batchSize: BATCH,
        workers,
        onProgress: (p) => progress.push(p),
      })
      expect(result.rows).toBe(TEST_ROWS)
      // Progress comes in input order, batch by batch, whatever worker finished first.
      expect(progress.map((p) => p.done)).toEqual(
        Array.from({ length: Math.ceil(TEST_ROWS / BATCH) }, (_, i) =>
          Math.min((i + 1) * BATCH, TEST_ROWS),
        ),
      )
      const out = await duckRows(
        `SELECT prediction, probability_high AS high, probability_low AS low, ` +
          `probability_mid AS mid FROM read_parquet(${quoteLiteral(output)})`,
      )
      expect(
        out.map(({ prediction, ...probabilities }) => ({ prediction, probabilities })),
      ).toEqual(expected)
    }
  })

  it('stops at a refused row while other batches are on workers, names it, and writes nothing', async () => {
    const bad = path.join(dir, 'bad.csv')
    await duckRows(
      `COPY (SELECT * REPLACE (CASE WHEN id = 700 THEN 'seven' ELSE CAST(x AS VARCHAR) END AS x) ` +
        `FROM read_csv(${quoteLiteral(csv)})) TO ${quoteLiteral(bad)} (HEADER)`,
    )
    const output = path.join(dir, 'bad.parquet')
    await expect(
      scoreBatch({
        model: batchModelOf(classifier),
        input: { path: bad },
        output,
        batchSize: BATCH,
        workers: 3,
      }),
    ).rejects.toThrow(`${bad}: row 700, column 'x': expected a number, got "seven"`)
    expect(existsSync(output)).toBe(false)
  })

  it('refuses a number of workers below 1', async () => {
    await expect(
      scoreBatch({
        model: batchModelOf(classifier),
        input: { path: parquet },
        output: path.join(dir, 'none.parquet'),
        workers: 0,
      }),
    ).rejects.toThrow('workers must be a whole number of at least 1, got 0')
  })
})
