import { Registry } from 'prom-client'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import type { ArtifactStore } from '../../artifacts/index.js'
import { createLogger } from '../../observability/index.js'
import { PredictionLog, type PredictionLogOptions } from './prediction-log.js'
import { listSegments } from './prediction-segments.js'
import { sqlLiteral } from './segment-file.js'
import {
  type PredictionLogFixture,
  openPredictionLogFixture,
  predictionRow,
} from './test-support/prediction-log-fixture.js'

const T0 = Date.UTC(2026, 10, 26, 12, 0, 0)

let f: PredictionLogFixture
const logs: PredictionLog[] = []
beforeEach(async () => {
  f = await openPredictionLogFixture()
})
afterEach(async () => {
  for (const log of logs.splice(0)) await log.close()
  await f.dispose()
})

function openLog(options: Partial<PredictionLogOptions> = {}): PredictionLog {
  const log = new PredictionLog({
    store: f.store,
    artifacts: f.artifacts,
    engine: f.engine,
    flushIntervalMs: 0,
    ...options,
  })
  logs.push(log)
  return log
}

/** Every row of a deployment's segments, as DuckDB reads the Parquet files. */
async function segmentRows(deployment: string): Promise<Record<string, unknown>[]> {
  const segments = await listSegments(f.store, deployment)
  if (segments.length === 0) return []
  const files = segments.map((s) => sqlLiteral(f.artifacts.blobPath(s.blobDigest))).join(', ')
  return f.engine.all(
    `SELECT request_id, deployment, model, version, epoch_ms(time) AS time_ms, latency_ms, inputs, outputs, shadow FROM read_parquet([${files}]) ORDER BY request_id`,
  )
}

/** An artifact store whose first `failures` puts fail. */
function flakyArtifacts(inner: ArtifactStore, failures: number): ArtifactStore {
  let left = failures
  return new Proxy(inner, {
    get(target, property, receiver) {
      if (property === 'put' && left > 0) {
        return async () => {
          left -= 1
          throw new Error('bucket unreachable')
        }
      }
      const value: unknown = Reflect.get(target, property, receiver)
      return typeof value === 'function' ? value.bind(target) : value
    },
  })
}

describe('PredictionLog', () => {
  it('writes one Parquet segment per deployment per flush, with the exact values and types', async () => {
    const log = openLog()
    log.append(predictionRow('r-1', T0))
    log.append(predictionRow('r-2', T0 + 1500, { shadow: true, version: 4, latencyMs: 0.5 }))
    log.append(predictionRow('x-1', T0 + 7, { deployment: 'fraud', model: 'fraud-model' }))
    expect(log.bufferedRows).toBe(3)

    expect(await log.flush()).toEqual({ rows: 3, segments: 2, failedRows: 0 })
    expect(log.bufferedRows).toBe(0)
    expect(log.writtenRows).toBe(3)

    const churn = await listSegments(f.store, 'churn')
    expect(churn).toHaveLength(1)
    expect(churn[0]).toMatchObject({
      deployment: 'churn',
      minTime: T0,
      maxTime: T0 + 1500,
      rows: 2,
    })
    expect(churn[0]?.blobDigest).toMatch(/^[0-9a-f]{64}$/)
    expect(await segmentRows('churn')).toEqual([
      {
        request_id: 'r-1',
        deployment: 'churn',
        model: 'churn-model',
        version: 3,
        time_ms: T0,
        latency_ms: 1.25,
        inputs: '{"tenure":12,"plan":"basic"}',
        outputs: '{"prediction":"yes","probabilities":{"no":0.25,"yes":0.75}}',
        shadow: false,
      },
      {
        request_id: 'r-2',
        deployment: 'churn',
        model: 'churn-model',
        version: 4,
        time_ms: T0 + 1500,
        latency_ms: 0.5,
        inputs: '{"tenure":12,"plan":"basic"}',
        outputs: '{"prediction":"yes","probabilities":{"no":0.25,"yes":0.75}}',
        shadow: true,
      },
    ])
    expect((await segmentRows('fraud')).map((r) => [r.request_id, r.time_ms])).toEqual([
      ['x-1', T0 + 7],
    ])

    const file = sqlLiteral(f.artifacts.blobPath(churn[0]?.blobDigest ?? ''))
    const types = await f.engine.all(`DESCRIBE SELECT * FROM read_parquet(${file})`)
    expect(types.map((t) => [t.column_name, t.column_type])).toEqual([
      ['request_id', 'VARCHAR'],
      ['deployment', 'VARCHAR'],
      ['model', 'VARCHAR'],
      ['version', 'BIGINT'],
      // Stored as Parquet TIMESTAMP(MILLIS), which DuckDB reads as TIMESTAMP.
      ['time', 'TIMESTAMP'],
      ['latency_ms', 'DOUBLE'],
      ['inputs', 'VARCHAR'],
      ['outputs', 'VARCHAR'],
      ['shadow', 'BOOLEAN'],
    ])
  })

  it('a flush with nothing buffered writes no segment', async () => {
    const log = openLog()
    expect(await log.flush()).toEqual({ rows: 0, segments: 0, failedRows: 0 })
    expect(await listSegments(f.store, 'churn')).toEqual([])
  })

  it('drops rows past maxBufferedRows and counts them, also on the metrics registry', async () => {
    const registry = new Registry()
    const log = openLog({ maxBufferedRows: 3, metricsRegistry: registry })
    for (let i = 0; i < 5; i++) log.append(predictionRow(`r-${i}`, T0 + i))
    expect(log.bufferedRows).toBe(3)
    expect(log.droppedRows).toBe(2)
    const metrics = await registry.metrics()
    expect(metrics).toContain('ballast_prediction_log_dropped_rows_total 2\n')
    expect(metrics).toContain('ballast_prediction_log_buffered_rows 3\n')

    await log.flush()
    // The kept rows are the first three; there is room again after the flush.
    expect((await segmentRows('churn')).map((r) => r.request_id)).toEqual(['r-0', 'r-1', 'r-2'])
    log.append(predictionRow('r-5', T0 + 5))
    expect(log.bufferedRows).toBe(1)
    expect(await registry.metrics()).toContain('ballast_prediction_log_written_rows_total 3\n')
  })

  it('never throws from append, even for a row it cannot log', () => {
    const log = openLog()
    expect(() => log.append(predictionRow('bad', Number.NaN))).not.toThrow()
    expect(() => log.append(null as never)).not.toThrow()
    expect(log.droppedRows).toBe(1)
    expect(log.bufferedRows).toBe(0)
  })

  it('rows appended while a flush runs are in a segment after the next flush', async () => {
    const log = openLog()
    log.append(predictionRow('a', T0))
    const first = log.flush()
    log.append(predictionRow('b', T0 + 1))
    const second = log.flush()
    log.append(predictionRow('c', T0 + 2))
    expect(await first).toMatchObject({ rows: 1 })
    // `second` started after `first`, and saw both rows appended before it ran.
    expect(await second).toMatchObject({ rows: 2 })
    expect((await segmentRows('churn')).map((r) => r.request_id)).toEqual(['a', 'b', 'c'])
    expect(await listSegments(f.store, 'churn')).toHaveLength(2)
  })

  it('keeps the rows of a failed flush, logs a warning, and writes them once on the next flush', async () => {
    const lines: string[] = []
    const logger = createLogger({
      level: 'warn',
      destination: { write: (l: string) => lines.push(l) },
    })
    const registry = new Registry()
    const log = openLog({
      artifacts: flakyArtifacts(f.artifacts, 1),
      logger,
      metricsRegistry: registry,
    })
    log.append(predictionRow('a', T0))
    log.append(predictionRow('b', T0 + 1))
    const failed = await log.flush()
    expect(failed).toMatchObject({ rows: 0, segments: 0, failedRows: 2 })
    expect((failed.error as Error).message).toBe('bucket unreachable')
    expect(log.bufferedRows).toBe(2)
    expect(log.failedFlushes).toBe(1)
    expect(lines).toHaveLength(1)
    expect(JSON.parse(lines[0] ?? '{}')).toMatchObject({
      level: 40,
      msg: 'prediction log flush failed; rows kept for the next flush',
      rows: 2,
    })
    expect(await listSegments(f.store, 'churn')).toEqual([])

    log.append(predictionRow('c', T0 + 2))
    expect(await log.flush()).toEqual({ rows: 3, segments: 1, failedRows: 0 })
    expect((await segmentRows('churn')).map((r) => r.request_id)).toEqual(['a', 'b', 'c'])
    expect(await registry.metrics()).toContain('ballast_prediction_log_flush_failures_total 1\n')
  })

  it('keeps at most maxBufferedRows after failures, dropping the oldest', async () => {
    let reached!: () => void
    const putCalled = new Promise<void>((resolve) => (reached = resolve))
    let release!: () => void
    const released = new Promise<void>((resolve) => (release = resolve))
    let failed = false
    const failingOnce = new Proxy(f.artifacts, {
      get(target, property) {
        if (property !== 'put' || failed) {
          const value = Reflect.get(target, property) as unknown
          return typeof value === 'function' ? value.bind(target) : value
        }
        return async () => {
          failed = true
          reached()
          await released
          throw new Error('bucket unreachable')
        }
      },
    })
    const log = openLog({ artifacts: failingOnce, maxBufferedRows: 3 })
    log.append(predictionRow('a', T0))
    log.append(predictionRow('b', T0 + 1))
    const flushing = log.flush()
    await putCalled
    log.append(predictionRow('c', T0 + 2))
    log.append(predictionRow('d', T0 + 3))
    release()
    expect(await flushing).toMatchObject({ failedRows: 2 })
    expect(log.bufferedRows).toBe(3)
    expect(log.droppedRows).toBe(1)
    expect(await log.flush()).toMatchObject({ rows: 3, failedRows: 0 })
    expect((await segmentRows('churn')).map((r) => r.request_id)).toEqual(['b', 'c', 'd'])
  })

  it('splits a deployment into segments of at most segmentMaxRows', async () => {
    const log = openLog({ segmentMaxRows: 2 })
    // The third row reaches the size and starts a flush at once; wait for it through flush().
    for (let i = 0; i < 5; i++) log.append(predictionRow(`r-${i}`, T0 + i))
    await log.flush()
    const segments = await listSegments(f.store, 'churn')
    expect(segments.map((s) => [s.rows, s.minTime - T0, s.maxTime - T0])).toEqual([
      [2, 0, 1],
      [2, 2, 3],
      [1, 4, 4],
    ])
  })

  it('flushes on its timer', async () => {
    const flushed: number[] = []
    const log = openLog({ flushIntervalMs: 20, onFlush: (r) => r.rows > 0 && flushed.push(r.rows) })
    log.append(predictionRow('a', T0))
    await expect.poll(() => flushed, { timeout: 2000 }).toEqual([1])
    expect((await segmentRows('churn')).map((r) => r.request_id)).toEqual(['a'])
  })

  it('close() writes everything buffered, and later rows are dropped', async () => {
    const log = openLog({ flushIntervalMs: 60_000 })
    log.append(predictionRow('a', T0))
    log.append(predictionRow('b', T0 + 1))
    expect(await log.close()).toEqual({ rows: 2, segments: 1, failedRows: 0 })
    expect((await segmentRows('churn')).map((r) => r.request_id)).toEqual(['a', 'b'])
    log.append(predictionRow('c', T0 + 2))
    expect(log.droppedRows).toBe(1)
    expect(await log.close()).toEqual({ rows: 2, segments: 1, failedRows: 0 })
  })

  it('opens and closes an engine of its own when given none', async () => {
    const log = new PredictionLog({ store: f.store, artifacts: f.artifacts, flushIntervalMs: 0 })
    log.append(predictionRow('a', T0))
    expect(await log.close()).toMatchObject({ rows: 1, segments: 1 })
    expect((await segmentRows('churn')).map((r) => r.request_id)).toEqual(['a'])
  })
})

describe('PredictionLog compaction', () => {
  // The log compacts by the wall clock: rows a day old are settled.
  const PAST = Date.now() - 86_400_000

  async function writeSegments(log: PredictionLog, count: number): Promise<void> {
    for (let i = 0; i < count; i++) {
      log.append(predictionRow(`r-${i}`, PAST + i))
      await log.flush()
    }
  }

  it('merges settled segments in the background every compactionIntervalMs', async () => {
    const log = openLog({ compactionIntervalMs: 20 })
    await writeSegments(log, 4)
    await expect
      .poll(async () => (await listSegments(f.store, 'churn')).map((s) => s.rows), {
        timeout: 5000,
      })
      .toEqual([4])
    expect((await segmentRows('churn')).map((r) => r.request_id)).toEqual([
      'r-0',
      'r-1',
      'r-2',
      'r-3',
    ])
  })

  it('runs one compaction at a time and deletes replaced blobs on the next run', async () => {
    const log = openLog()
    await writeSegments(log, 3)
    const old = await listSegments(f.store, 'churn')
    const first = log.compact()
    expect(log.compact()).toBe(first)
    expect(await first).toMatchObject({ replaced: 3, written: 1, rows: 3 })
    // Kept for readers that listed the old segments just before the switch.
    for (const s of old) expect(await f.artifacts.stat(s.blobDigest)).toBeDefined()
    expect(await log.compact()).toMatchObject({ replaced: 0, written: 0 })
    for (const s of old) expect(await f.artifacts.stat(s.blobDigest)).toBeUndefined()
  })

  it('never compacts without compactionIntervalMs, nor after close()', async () => {
    const log = openLog()
    await writeSegments(log, 2)
    await new Promise((resolve) => setTimeout(resolve, 50))
    expect(await listSegments(f.store, 'churn')).toHaveLength(2)
    await log.close()
    expect(await log.compact()).toBeUndefined()
    expect(await listSegments(f.store, 'churn')).toHaveLength(2)
  })
})
