import { createReadStream } from 'node:fs'
import { mkdtemp, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import path from 'node:path'
import type { Logger } from 'pino'
import { Counter, Gauge, type Registry } from 'prom-client'
import type { ArtifactStore } from '../../artifacts/index.js'
import { DuckEngine } from '../../data/index.js'
import type { MetadataStore } from '../../storage/index.js'
import type { PredictionRow } from '../serving-types.js'
import { insertSegment, newSegmentId } from './prediction-segments.js'
import { type CompactionResult, compactSegments, deleteStaleBlobs } from './segment-compaction.js'
import { encodeSegmentLine, writeSegmentFile } from './segment-file.js'

export const DEFAULT_FLUSH_INTERVAL_MS = 1000
export const DEFAULT_MAX_BUFFERED_ROWS = 100_000
export const DEFAULT_SEGMENT_MAX_ROWS = 50_000

export interface PredictionLogOptions {
  store: MetadataStore
  artifacts: ArtifactStore
  /** DuckDB engine that writes the Parquet segments; the log opens (and closes) one when absent. */
  engine?: DuckEngine
  /** How often buffered rows are written; 0 turns the timer off (only `flush()` writes). */
  flushIntervalMs?: number
  /** Rows held in memory, including those kept after a failed flush; past it rows are dropped. */
  maxBufferedRows?: number
  /** Largest segment; a deployment with more rows in one flush gets several. */
  segmentMaxRows?: number
  logger?: Logger
  /** Where the log's Prometheus metrics are registered (the server's `/metrics` registry). */
  metricsRegistry?: Registry
  /** Called after every flush, for metrics and tests. */
  onFlush?: (result: FlushResult) => void
  /** How often settled segments are merged in the background (`compactSegments`); 0 or absent: never. */
  compactionIntervalMs?: number
  /** Limits passed to `compactSegments`. */
  compaction?: { olderThanMs?: number; targetRows?: number }
}

export interface FlushResult {
  /** Rows written to new segments. */
  rows: number
  segments: number
  /** Rows whose segment could not be written; kept for the next flush (within the bound). */
  failedRows: number
  error?: unknown
}

interface LogMetrics {
  dropped: Counter
  written: Counter
  failures: Counter
}

function counter(registry: Registry, name: string, help: string): Counter {
  const existing = registry.getSingleMetric(name)
  if (existing instanceof Counter) return existing
  return new Counter({ name, help, registers: [registry] })
}

function logMetrics(registry: Registry, log: PredictionLog): LogMetrics {
  if (registry.getSingleMetric('ballast_prediction_log_buffered_rows') === undefined) {
    new Gauge({
      name: 'ballast_prediction_log_buffered_rows',
      help: 'Logged predictions held in memory, waiting for the next flush.',
      registers: [registry],
      collect() {
        this.set(log.bufferedRows)
      },
    })
  }
  return {
    dropped: counter(
      registry,
      'ballast_prediction_log_dropped_rows_total',
      'Predictions not logged because the buffer was full (or the log closed).',
    ),
    written: counter(
      registry,
      'ballast_prediction_log_written_rows_total',
      'Predictions written to prediction-log segments.',
    ),
    failures: counter(
      registry,
      'ballast_prediction_log_flush_failures_total',
      'Flushes that could not write every segment; their rows wait for the next flush.',
    ),
  }
}

/** A logged row, encoded when it was appended: what a flush needs of it. */
interface BufferedRow {
  deployment: string
  time: number
  line: string
}

/**
 * The prediction log of a serving process. `append` only encodes the row and pushes it to an
 * in-memory buffer, so answering a request never waits for storage; a timer writes the buffer as
 * one Parquet segment per deployment (artifact store) indexed in `prediction_segments`. Flushes run
 * one at a time, and rows appended while one runs go to the next, so `flush()` resolves once every
 * row appended before the call is stored, or kept for a retry when storage failed.
 */
export class PredictionLog {
  private buffer: BufferedRow[] = []
  private running: Promise<FlushResult> | undefined
  private readonly timer: NodeJS.Timeout | undefined
  private readonly compactionTimer: NodeJS.Timeout | undefined
  private compacting: Promise<CompactionResult | undefined> | undefined
  // Blobs replaced by the last compaction, deleted by the next so a reader that listed them has time.
  private staleBlobs: string[] = []
  private readonly maxBufferedRows: number
  private readonly segmentMaxRows: number
  private readonly metrics: LogMetrics | undefined
  private engine: Promise<DuckEngine> | undefined
  private readonly ownsEngine: boolean
  private closed: Promise<FlushResult> | undefined
  private earlyFlush = false
  // After a failure, storage gets a rest until the timer's next tick.
  private backingOff = false
  private dropped = 0
  private written = 0
  private failures = 0

  constructor(private readonly options: PredictionLogOptions) {
    this.maxBufferedRows = options.maxBufferedRows ?? DEFAULT_MAX_BUFFERED_ROWS
    this.segmentMaxRows = Math.max(1, options.segmentMaxRows ?? DEFAULT_SEGMENT_MAX_ROWS)
    this.ownsEngine = options.engine === undefined
    if (options.engine !== undefined) this.engine = Promise.resolve(options.engine)
    this.metrics =
      options.metricsRegistry === undefined ? undefined : logMetrics(options.metricsRegistry, this)
    const interval = options.flushIntervalMs ?? DEFAULT_FLUSH_INTERVAL_MS
    if (interval > 0) {
      this.timer = setInterval(() => {
        this.backingOff = false
        void this.flush()
      }, interval)
      // A pending flush must not keep a finished process alive; close() flushes what is left.
      this.timer.unref()
    }
    const compactionInterval = options.compactionIntervalMs ?? 0
    if (compactionInterval > 0) {
      this.compactionTimer = setInterval(() => void this.compact(), compactionInterval)
      this.compactionTimer.unref()
    }
  }

  /** Rows dropped since start because the buffer was full or the log closed. */
  get droppedRows(): number {
    return this.dropped
  }

  /** Rows waiting in memory for the next flush. */
  get bufferedRows(): number {
    return this.buffer.length
  }

  /** Rows written to segments since start. */
  get writtenRows(): number {
    return this.written
  }

  /** Flushes that left rows unwritten. */
  get failedFlushes(): number {
    return this.failures
  }

  /** Buffers one row. Never blocks and never throws: when the buffer is full the row is dropped. */
  append(row: PredictionRow): void {
    try {
      if (
        this.closed !== undefined ||
        this.buffer.length >= this.maxBufferedRows ||
        !Number.isFinite(row.time)
      ) {
        this.drop(1)
        return
      }
      this.buffer.push({
        deployment: String(row.deployment),
        time: row.time,
        line: encodeSegmentLine(row),
      })
      if (this.buffer.length >= this.segmentMaxRows && !this.earlyFlush && !this.backingOff) {
        this.earlyFlush = true
        void this.flush().finally(() => {
          this.earlyFlush = false
        })
      }
    } catch {
      // Logging must never fail a prediction.
    }
  }

  /**
   * Writes every row buffered now (after any flush already running). Never rejects: a failure is
   * logged as a warning and reported in the result, and the rows are kept for the next flush.
   */
  flush(): Promise<FlushResult> {
    // One flush at a time; a call made while one runs waits for it, then writes what is left.
    if (this.running !== undefined) return this.running.then(() => this.flush())
    const rows = this.buffer
    this.buffer = []
    const run = this.writeRows(rows)
      .catch((error: unknown): FlushResult => ({ rows: 0, segments: 0, failedRows: 0, error }))
      .finally(() => {
        this.running = undefined
      })
    this.running = run
    return run
  }

  /**
   * Merges settled segments (`compactSegments`), one compaction at a time: a call made while one
   * runs gets that one's result. Never rejects; undefined when it failed (logged) or the log closed.
   */
  compact(): Promise<CompactionResult | undefined> {
    if (this.closed !== undefined) return Promise.resolve(undefined)
    this.compacting ??= this.runCompaction().finally(() => {
      this.compacting = undefined
    })
    return this.compacting
  }

  private async runCompaction(): Promise<CompactionResult | undefined> {
    const { store, artifacts, logger } = this.options
    try {
      const stale = this.staleBlobs
      this.staleBlobs = []
      await deleteStaleBlobs(store, artifacts, stale, logger)
      const result = await compactSegments({
        store,
        artifacts,
        engine: await this.openEngine(),
        ...this.options.compaction,
        deleteOldBlobs: false,
        ...(logger === undefined ? {} : { logger }),
      })
      this.staleBlobs = result.staleBlobs
      return result
    } catch (error) {
      logger?.warn({ err: error }, 'prediction segment compaction failed')
      return undefined
    }
  }

  /** Stops the timers, flushes everything, and closes the engine the log opened. Idempotent. */
  close(): Promise<FlushResult> {
    this.closed ??= (async () => {
      if (this.timer !== undefined) clearInterval(this.timer)
      if (this.compactionTimer !== undefined) clearInterval(this.compactionTimer)
      await this.compacting
      const result = await this.flush()
      if (this.buffer.length > 0) {
        this.options.logger?.error(
          { rows: this.buffer.length },
          'prediction log closed with rows that could not be written',
        )
        this.drop(this.buffer.length)
        this.buffer = []
      }
      const engine = this.engine
      this.engine = undefined
      if (this.ownsEngine && engine !== undefined) (await engine).close()
      return result
    })()
    return this.closed
  }

  private drop(n: number): void {
    this.dropped += n
    this.metrics?.dropped.inc(n)
  }

  private async writeRows(rows: BufferedRow[]): Promise<FlushResult> {
    const result: FlushResult = { rows: 0, segments: 0, failedRows: 0 }
    if (rows.length === 0) return result
    const byDeployment = new Map<string, BufferedRow[]>()
    for (const row of rows) {
      const group = byDeployment.get(row.deployment)
      if (group === undefined) byDeployment.set(row.deployment, [row])
      else group.push(row)
    }
    const failed: BufferedRow[] = []
    for (const [deployment, group] of byDeployment) {
      for (let start = 0; start < group.length; start += this.segmentMaxRows) {
        const chunk = group.slice(start, start + this.segmentMaxRows)
        try {
          await this.writeSegment(deployment, chunk)
          result.rows += chunk.length
          result.segments += 1
        } catch (error) {
          failed.push(...chunk)
          result.error ??= error
        }
      }
    }
    this.written += result.rows
    this.metrics?.written.inc(result.rows)
    if (failed.length > 0) {
      result.failedRows = failed.length
      this.failures += 1
      this.metrics?.failures.inc()
      this.backingOff = true
      this.retain(failed)
      this.options.logger?.warn(
        { err: result.error, rows: failed.length, buffered: this.buffer.length },
        'prediction log flush failed; rows kept for the next flush',
      )
    } else {
      this.backingOff = false
    }
    this.options.onFlush?.(result)
    return result
  }

  /** Puts rows of a failed flush back ahead of newer ones, dropping the oldest past the bound. */
  private retain(rows: BufferedRow[]): void {
    const room = Math.max(0, this.maxBufferedRows - this.buffer.length)
    const kept = rows.length <= room ? rows : rows.slice(rows.length - room)
    this.drop(rows.length - kept.length)
    this.buffer = kept.concat(this.buffer)
  }

  private async writeSegment(deployment: string, rows: BufferedRow[]): Promise<void> {
    let minTime = Infinity
    let maxTime = -Infinity
    for (const row of rows) {
      if (row.time < minTime) minTime = row.time
      if (row.time > maxTime) maxTime = row.time
    }
    const dir = await mkdtemp(path.join(tmpdir(), 'ballast-predictions-'))
    try {
      const file = path.join(dir, 'segment.parquet')
      await writeSegmentFile(
        await this.openEngine(),
        rows.map((row) => row.line),
        file,
      )
      const blob = await this.options.artifacts.put(createReadStream(file))
      await insertSegment(this.options.store, {
        id: newSegmentId(),
        deployment,
        minTime: Math.trunc(minTime),
        maxTime: Math.trunc(maxTime),
        rows: rows.length,
        blobDigest: blob.digest,
        createdAt: Date.now(),
      })
    } finally {
      await rm(dir, { recursive: true, force: true })
    }
  }

  private openEngine(): Promise<DuckEngine> {
    // One thread: segment writes must not compete with the model runtime for cores.
    this.engine ??= DuckEngine.open({ threads: 1 }).catch((error: unknown) => {
      this.engine = undefined
      throw error
    })
    return this.engine
  }
}
