import { mkdtemp, rename, rm } from 'node:fs/promises'
import { availableParallelism, tmpdir } from 'node:os'
import path from 'node:path'
import { InvalidParameterError, type SignatureField } from '@ballast/contracts'
import { type DuckDBConnection, DuckDBInstance } from '@duckdb/node-api'
import { FeedBuilder } from './batch-feeds.js'
import { type BatchFile, openBatchInput } from './batch-input.js'
import { type BatchInput, type BatchOutput, BatchSession } from './batch-session.js'
import { BatchWorkerPool, defaultBatchWorkers } from './batch-workers.js'
import { type ColumnPlan, planColumns } from './column-plan.js'
import { PredictionTable } from './prediction-table.js'
import { predictionColumns } from './prediction-columns.js'
import { quoteIdentifier, quoteLiteral } from './sql-text.js'

const SCRATCH_MEMORY_LIMIT = '512MB'

/** Rows scored per onnxruntime call unless told otherwise. */
export const DEFAULT_BATCH_SIZE = 65_536

/** What batch scoring needs of a model version. */
export interface BatchModel {
  onnx: Uint8Array
  /** The signature's inputs; null to take the graph's inputs as they are. */
  inputs: readonly SignatureField[] | null
  /** A classifier's classes, which its `label` output indexes; null otherwise. */
  classes: readonly (string | number)[] | null
}

export interface BatchProgress {
  /** Rows scored so far. */
  done: number
  /** Rows in the input, when known. */
  total: number | null
}

export interface ScoreBatchOptions {
  model: BatchModel
  input: BatchFile
  /** The Parquet file to write; written whole or not at all. */
  output: string
  batchSize?: number
  /**
   * onnxruntime sessions scoring batches side by side, each in a worker thread and on one core;
   * 1 scores in this thread. Default: one per core, at most 4. The answers do not depend on it;
   * each worker adds a copy of the model and up to two batches to the memory used.
   */
  workers?: number
  /** Rows in the input, when the caller knows them (a dataset version's row count). */
  total?: number
  onProgress?(progress: BatchProgress): void
}

export interface ScoreBatchResult {
  rows: number
  output: string
  /** The output's columns: the input's, then the predictions'. */
  columns: string[]
  seconds: number
  /**
   * Where the time went: waiting for onnxruntime (with workers, what reading the input did not
   * hide), appending predictions, and writing the output file.
   */
  timings: { inferSeconds: number; appendSeconds: number; writeSeconds: number }
}

/** The graph's inputs as a column-based signature, for models registered without one. */
function graphSignature(session: BatchSession): SignatureField[] {
  return [...session.feedTypes()].map(([name, type]) => ({
    name,
    type: type === 'string' ? 'string' : 'double',
  }))
}

function selectList(plans: readonly ColumnPlan[]): {
  sql: string
  layout: { value: number; raw: number | null }[]
} {
  const parts: string[] = []
  const layout = plans.map((plan) => {
    const value = parts.push(plan.valueSql) - 1
    const raw = plan.rawSql === null ? null : parts.push(plan.rawSql) - 1
    return { value, raw }
  })
  return { sql: parts.map((p, i) => `${p} AS v${i}`).join(', '), layout }
}

async function connect(instance: DuckDBInstance): Promise<DuckDBConnection> {
  const connection = await instance.connect()
  // Text date-times without an offset are UTC, whatever the machine's zone.
  await connection.run(`SET TimeZone = 'UTC'`)
  return connection
}

/**
 * Scores a file with a model, chunk by chunk, and writes the input's columns plus the model's
 * predictions to a Parquet file. Memory stays bounded by the batch size: the model's inputs are
 * streamed from DuckDB into reused typed arrays, each batch's answers are appended to a table in
 * an on-disk scratch database, and the output is one DuckDB COPY that joins the input to that
 * table by position. Any refused value stops the scoring before the output is written.
 */
export async function scoreBatch(options: ScoreBatchOptions): Promise<ScoreBatchResult> {
  const started = performance.now()
  const batchSize = options.batchSize ?? DEFAULT_BATCH_SIZE
  if (!Number.isSafeInteger(batchSize) || batchSize < 1) {
    throw new InvalidParameterError(
      `batch size must be a whole number of at least 1, got ${batchSize}`,
    )
  }
  const workers = options.workers ?? defaultBatchWorkers()
  if (!Number.isSafeInteger(workers) || workers < 1) {
    throw new InvalidParameterError(`workers must be a whole number of at least 1, got ${workers}`)
  }
  const label = options.input.label ?? options.input.path
  const session = await BatchSession.load(options.model.onnx)
  // Started by the first full batch, inside flush (typed so that the finally still sees it).
  let pool = null as BatchWorkerPool | null
  const scratchDir = await mkdtemp(path.join(tmpdir(), 'ballast-batch-'))
  const partial = `${options.output}.partial`
  let instance: DuckDBInstance | undefined
  try {
    instance = await DuckDBInstance.create(path.join(scratchDir, 'scratch.duckdb'), {
      autoinstall_known_extensions: 'false',
      autoload_known_extensions: 'false',
      temp_directory: path.join(scratchDir, 'spill'),
      // Beyond this DuckDB spills to the scratch folder: the positional join of 3M rows held
      // under a 40 MB limit (RSS 136 MB), so the limit bounds memory, not what can be scored.
      memory_limit: SCRATCH_MEMORY_LIMIT,
      // The cores the scoring workers leave: DuckDB's own threads otherwise take turns with them
      // (2 cores, 2 workers: 142,049 rows/s against 122,196 with DuckDB on both cores).
      threads: String(Math.max(1, availableParallelism() - workers)),
    })
    const reader = await connect(instance)
    const writer = await connect(instance)
    try {
      const relation = await openBatchInput(reader, options.input)
      const plans = planColumns(
        options.model.inputs ?? graphSignature(session),
        session.feedTypes(),
        relation.columns,
        label,
      )
      const columns = predictionColumns({
        tensorOutputs: session.tensorOutputs,
        classes: options.model.classes,
      })
      for (const c of columns) {
        if (relation.columns.some((r) => r.name === c.name)) {
          throw new InvalidParameterError(
            `${label} has a column '${c.name}', which is the name of a prediction column; rename it`,
          )
        }
      }
      const total = options.total ?? relation.rowCount
      const table = new PredictionTable(writer, columns)
      const builder = new FeedBuilder(plans, selectList(plans).layout, batchSize, label)
      const outputs = [...new Set(columns.map((c) => c.output))]
      // No more workers than batches: each one loads its own copy of the model.
      const wanted = total === null ? workers : Math.min(workers, Math.ceil(total / batchSize))
      const run = (inputs: BatchInput[]) =>
        pool === null ? session.runInputs(inputs, outputs) : pool.run(inputs, outputs)
      let done = 0
      const timings = { inferSeconds: 0, appendSeconds: 0, writeSeconds: 0 }
      // Batches sent and not yet appended, oldest first.
      const inFlight: { rows: number; answers: Promise<Record<string, BatchOutput>> }[] = []
      const settle = async () => {
        const batch = inFlight.shift()!
        const t0 = performance.now()
        const answers = await batch.answers
        const t1 = performance.now()
        await table.append(answers, batch.rows)
        timings.inferSeconds += (t1 - t0) / 1000
        timings.appendSeconds += (performance.now() - t1) / 1000
        done += batch.rows
        options.onProgress?.({ done, total })
      }
      const flush = async (last: boolean) => {
        if (builder.rows === 0) return
        // The workers start with the first full batch: a file shorter than one batch is scored
        // in this thread, without loading the model again.
        if (pool === null && !last && wanted > 1) {
          pool = await BatchWorkerPool.start(options.model.onnx, wanted)
        }
        const t0 = performance.now()
        const answers = run(session.inputs(builder.feeds(), builder.rows))
        timings.inferSeconds += (performance.now() - t0) / 1000
        // Awaited in order by settle; when an earlier batch fails, this one is dropped unread.
        answers.catch(() => {})
        inFlight.push({ rows: builder.rows, answers })
        builder.reset()
        // Each worker holds one batch running and at most one waiting behind it (copied when sent).
        while (inFlight.length > (pool?.size ?? 0)) await settle()
      }
      const result = await reader.stream(`SELECT ${selectList(plans).sql} FROM ${relation.sql}`)
      let fileRow = 1
      for (;;) {
        const chunk = await result.fetchChunk()
        if (chunk === null || chunk.rowCount === 0) break
        let offset = 0
        while (offset < chunk.rowCount) {
          offset += builder.append(chunk, offset, fileRow)
          if (builder.full) await flush(false)
        }
        fileRow += chunk.rowCount
      }
      await flush(true)
      while (inFlight.length > 0) await settle()
      await table.close()
      const t2 = performance.now()
      const names = [...relation.columns.map((c) => c.name), ...columns.map((c) => c.name)]
      await writer.run(
        `COPY (SELECT src.*, ${columns.map((c) => c.selectSql).join(', ')} ` +
          `FROM ${relation.sql} AS src POSITIONAL JOIN ${quoteIdentifier(table.name)} AS p) ` +
          `TO ${quoteLiteral(partial)} (FORMAT parquet)`,
      )
      await rename(partial, options.output)
      timings.writeSeconds = (performance.now() - t2) / 1000
      return {
        rows: done,
        output: options.output,
        columns: names,
        seconds: (performance.now() - started) / 1000,
        timings,
      }
    } finally {
      reader.closeSync()
      writer.closeSync()
    }
  } finally {
    instance?.closeSync()
    await pool?.release()
    await session.release()
    await rm(partial, { force: true })
    await rm(scratchDir, { recursive: true, force: true })
  }
}
