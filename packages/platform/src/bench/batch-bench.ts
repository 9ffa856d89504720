/**
 * `npm run bench:batch`: batch scoring of vega-datasets' flights-3m.parquet (3M rows) with a
 * binary GBDT (100 trees, depth 6; hour, day of week, month, distance, and origin and destination
 * as categoricals) trained on a 100,000-row sample. Reports rows/s from the input Parquet to the
 * output Parquet (every input column plus prediction and probabilities) with the default number
 * of scoring workers, median of 3 runs, beside onnxruntime alone on prebuilt feeds with the same
 * session options, on as many workers (the most the pipeline could reach) and on one session in
 * this thread (what one core gives).
 */
import { mkdtemp, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import path from 'node:path'
import { fileURLToPath } from 'node:url'
import { DuckEngine, quoteLiteral } from '../data/duckdb/duck-engine.js'
import type { FeedArray } from '../serving/batch/batch-feeds.js'
import { type BatchOutput, BatchSession } from '../serving/batch/batch-session.js'
import { BatchWorkerPool, defaultBatchWorkers } from '../serving/batch/batch-workers.js'
import type { FeedType } from '../serving/batch/column-plan.js'
import { DEFAULT_BATCH_SIZE, scoreBatch } from '../serving/index.js'
import { type TabularTable, trainTabular } from '../training/index.js'
import { fmt, median, report } from './bench-stats.js'

const FLIGHTS = fileURLToPath(
  new URL('../../../../node_modules/vega-datasets/data/flights-3m.parquet', import.meta.url),
)
const TRAIN_ROWS = 100_000
const GOAL_ROWS_PER_SECOND = 500_000
const RUNS = 3
/** Distinct prebuilt batches onnxruntime alone cycles through, and how many it scores per run. */
const REFERENCE_BATCHES = 4
const REFERENCE_RUNS = 16
const FEATURES_SQL = `hour(date)::DOUBLE AS hour, dayofweek(date)::DOUBLE AS dow,
  month(date)::DOUBLE AS month, distance::DOUBLE AS distance, origin, destination`

async function trainingTable(engine: DuckEngine): Promise<TabularTable> {
  const columns = await engine.withConnection(async (connection) => {
    const reader = await connection.runAndReadAll(`
      SELECT ${FEATURES_SQL}, CASE WHEN delay > 15 THEN 'late' ELSE 'on time' END AS late
      FROM read_parquet(${quoteLiteral(FLIGHTS)})
      USING SAMPLE reservoir(${TRAIN_ROWS} ROWS) REPEATABLE (7)`)
    return reader.getColumnsJS()
  })
  const numbers = (i: number) => Float64Array.from(columns[i]!, (v) => Number(v ?? Number.NaN))
  const strings = (i: number) => columns[i]!.map((v) => (typeof v === 'string' ? v : null))
  return {
    rowCount: columns[0]!.length,
    columns: [
      { name: 'hour', type: 'integer', values: numbers(0) },
      { name: 'dow', type: 'integer', values: numbers(1) },
      { name: 'month', type: 'integer', values: numbers(2) },
      { name: 'distance', type: 'float', values: numbers(3) },
      { name: 'origin', type: 'string', values: strings(4) },
      { name: 'destination', type: 'string', values: strings(5) },
      { name: 'late', type: 'string', values: strings(6) },
    ],
  }
}

type Feeds = Map<string, { type: FeedType; data: FeedArray }>

/** The first rows of the input as the model's feeds, built once, outside any timing. */
async function prebuiltFeeds(
  engine: DuckEngine,
  input: string,
  session: BatchSession,
): Promise<Feeds[]> {
  const types = session.feedTypes()
  const names = [...types.keys()]
  const rows = DEFAULT_BATCH_SIZE
  const columns = await engine.withConnection(async (connection) => {
    const reader = await connection.runAndReadAll(
      `SELECT ${names.map((n) => `"${n}"`).join(', ')} FROM read_parquet(${quoteLiteral(input)}) ` +
        `LIMIT ${rows * REFERENCE_BATCHES}`,
    )
    return reader.getColumnsJS()
  })
  return Array.from({ length: REFERENCE_BATCHES }, (_, b) => {
    const feeds: Feeds = new Map()
    names.forEach((name, i) => {
      const values = columns[i]!.slice(b * rows, (b + 1) * rows)
      feeds.set(
        name,
        types.get(name) === 'string'
          ? { type: 'string', data: values.map((v) => (typeof v === 'string' ? v : '')) }
          : { type: 'float32', data: Float32Array.from(values, (v) => Number(v ?? Number.NaN)) },
      )
    })
    return feeds
  })
}

const OUTPUTS = ['label', 'probabilities']

/** onnxruntime alone: prebuilt batches through a session set up as scoreBatch sets up its own. */
async function onnxruntimeRate(session: BatchSession, batches: readonly Feeds[]): Promise<number> {
  const started = performance.now()
  for (let i = 0; i < REFERENCE_RUNS; i++) {
    await session.run(batches[i % batches.length]!, DEFAULT_BATCH_SIZE, OUTPUTS)
  }
  return (REFERENCE_RUNS * DEFAULT_BATCH_SIZE) / ((performance.now() - started) / 1000)
}

/** The same on the scoring workers, one batch running and one waiting on each, as scoreBatch does. */
async function workersRate(
  pool: BatchWorkerPool,
  session: BatchSession,
  batches: readonly Feeds[],
): Promise<number> {
  const inFlight: Promise<Record<string, BatchOutput>>[] = []
  const started = performance.now()
  for (let i = 0; i < REFERENCE_RUNS; i++) {
    const feeds = batches[i % batches.length]!
    inFlight.push(pool.run(session.inputs(feeds, DEFAULT_BATCH_SIZE), OUTPUTS))
    if (inFlight.length > pool.size) await inFlight.shift()
  }
  await Promise.all(inFlight)
  return (REFERENCE_RUNS * DEFAULT_BATCH_SIZE) / ((performance.now() - started) / 1000)
}

async function main(): Promise<void> {
  const dir = await mkdtemp(path.join(tmpdir(), 'ballast-batch-bench-'))
  const engine = await DuckEngine.open()
  try {
    const model = await trainTabular(await trainingTable(engine), {
      target: 'late',
      task: 'classification',
      algo: 'gbdt',
      // All 100 trees: no early stopping on the validation rows.
      params: {
        numTrees: '100',
        maxDepth: '6',
        maxLeaves: '64',
        earlyStoppingRounds: '0',
        seed: '1',
      },
    })
    const input = path.join(dir, 'flights.parquet')
    await engine.run(
      `COPY (SELECT ${FEATURES_SQL}, delay FROM read_parquet(${quoteLiteral(FLIGHTS)})) ` +
        `TO ${quoteLiteral(input)} (FORMAT parquet)`,
    )
    const batchModel = {
      onnx: model.onnx,
      inputs: model.inputs.map((i) => ({
        name: i.name,
        type: i.type === 'string' ? ('string' as const) : ('double' as const),
      })),
      classes: model.classes ?? null,
    }
    const workers = defaultBatchWorkers()
    const session = await BatchSession.load(model.onnx)
    const pool = await BatchWorkerPool.start(model.onnx, workers)
    const batches = await prebuiltFeeds(engine, input, session)
    // The first runs warm the sessions up.
    await session.run(batches[0]!, DEFAULT_BATCH_SIZE, OUTPUTS)
    await workersRate(pool, session, batches)
    const rates: number[] = []
    const onWorkers: number[] = []
    const onOne: number[] = []
    let rows = 0
    for (let run = 0; run < RUNS; run++) {
      const output = path.join(dir, `scored-${run}.parquet`)
      const result = await scoreBatch({
        model: batchModel,
        input: { path: input },
        output,
        workers,
      })
      rows = result.rows
      rates.push(result.rows / result.seconds)
      console.log(
        `      run ${run + 1}: ${fmt(result.rows, 0)} rows in ${fmt(result.seconds, 2)} s ` +
          `(${fmt(result.rows / result.seconds, 0)} rows/s; waiting for onnxruntime ${fmt(result.timings.inferSeconds, 2)} s, ` +
          `appending predictions ${fmt(result.timings.appendSeconds, 2)} s, writing ${fmt(result.timings.writeSeconds, 2)} s), ` +
          `RSS ${fmt(process.memoryUsage().rss / 2 ** 20, 0)} MiB`,
      )
      // Measured between the end-to-end runs, so that all see the same load on the machine.
      onWorkers.push(await workersRate(pool, session, batches))
      onOne.push(await onnxruntimeRate(session, batches))
      console.log(
        `      run ${run + 1}: onnxruntime alone ${fmt(onWorkers.at(-1)!, 0)} rows/s on ${workers} workers, ` +
          `${fmt(onOne.at(-1)!, 0)} rows/s on one session ` +
          `(${fmt(REFERENCE_RUNS * DEFAULT_BATCH_SIZE, 0)} prebuilt rows)`,
      )
    }
    await pool.release()
    await session.release()
    const rate = median(rates)
    const reference = median(onWorkers)
    report(
      `batch scoring, ${fmt(rows / 1e6, 0)}M rows, GBDT ${model.evaluation.iterations ?? model.params.numTrees} trees, ${workers} workers (median of ${RUNS})`,
      `${fmt(rate, 0)} rows/s`,
      `≥ ${fmt(GOAL_ROWS_PER_SECOND, 0)} rows/s`,
      rate >= GOAL_ROWS_PER_SECOND,
    )
    report(
      `onnxruntime alone on ${workers} workers, same model and session options (median of ${RUNS})`,
      `${fmt(reference, 0)} rows/s`,
      `≥ ${fmt(GOAL_ROWS_PER_SECOND, 0)} rows/s`,
      reference >= GOAL_ROWS_PER_SECOND,
    )
    report(
      `onnxruntime alone on one session in this thread (median of ${RUNS})`,
      `${fmt(median(onOne), 0)} rows/s`,
      `≥ ${fmt(GOAL_ROWS_PER_SECOND, 0)} rows/s`,
      median(onOne) >= GOAL_ROWS_PER_SECOND,
    )
    console.log(
      `      end to end / onnxruntime alone: ${fmt(rate / reference, 2)}; ` +
        `end to end / goal: ${fmt(rate / GOAL_ROWS_PER_SECOND, 2)}; ` +
        `onnxruntime alone / goal: ${fmt(reference / GOAL_ROWS_PER_SECOND, 2)}`,
    )
  } finally {
    engine.close()
    await rm(dir, { recursive: true, force: true })
  }
}

await main()
