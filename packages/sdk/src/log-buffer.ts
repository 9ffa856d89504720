import type { KeyValue, WireMetric } from './wire-types.js'

/** MLflow's limits on one `runs/log-batch` request. */
export const LOG_BATCH_LIMITS = { metrics: 1000, params: 100, tags: 100, total: 1000 } as const

export interface LogBatch {
  metrics: WireMetric[]
  params: KeyValue[]
  tags: KeyValue[]
}

export interface LogBufferOptions {
  /** Sends one batch; it does its own retries, and rejects only when the batch is lost for good. */
  send(batch: LogBatch): Promise<void>
  /** Buffered values wait at most this long before they are sent. */
  flushIntervalMs: number
  /** A batch holds at most this many metrics (at most 1000). */
  maxBatchSize: number
}

/**
 * Buffers a run's metrics, params and tags and sends them as batches, one batch at a time, in the
 * order they were logged. Logging is synchronous and cheap; sending happens when a batch is full,
 * when the interval timer fires, or on `flush()`. A batch that fails for good is reported by the
 * next `flush()` instead of being thrown into nowhere.
 */
export class LogBuffer {
  private metrics: WireMetric[] = []
  private params: KeyValue[] = []
  private tags = new Map<string, string>()
  /** The chain of batches being sent. Every link catches, so it never rejects. */
  private tail: Promise<void> = Promise.resolve()
  /** The first batch lost since the last `flush()`; later losses share its fate and its report. */
  private failure: { error: unknown } | undefined
  private timer: ReturnType<typeof setTimeout> | undefined
  private readonly maxMetrics: number

  constructor(private readonly options: LogBufferOptions) {
    this.maxMetrics = Math.min(options.maxBatchSize, LOG_BATCH_LIMITS.metrics)
  }

  get hasPending(): boolean {
    return this.metrics.length + this.params.length + this.tags.size > 0
  }

  addMetric(metric: WireMetric): void {
    this.metrics.push(metric)
    this.afterAdd()
  }

  addParam(param: KeyValue): void {
    this.params.push(param)
    this.afterAdd()
  }

  addTag(tag: KeyValue): void {
    // Tags overwrite: only the last value of a key in one batch matters.
    this.tags.delete(tag.key)
    this.tags.set(tag.key, tag.value)
    this.afterAdd()
  }

  /** Sends everything logged so far and waits for it; rejects if any batch was lost since the last flush. */
  async flush(): Promise<void> {
    this.dispatch()
    await this.tail
    const failure = this.failure
    this.failure = undefined
    if (failure !== undefined) throw failure.error
  }

  /** Stops the timer; what is buffered stays until the next `flush()`. */
  stopTimer(): void {
    if (this.timer !== undefined) clearTimeout(this.timer)
    this.timer = undefined
  }

  private afterAdd(): void {
    const total = this.metrics.length + this.params.length + this.tags.size
    if (
      this.metrics.length >= this.maxMetrics ||
      this.params.length >= LOG_BATCH_LIMITS.params ||
      this.tags.size >= LOG_BATCH_LIMITS.tags ||
      total >= LOG_BATCH_LIMITS.total
    ) {
      this.dispatch()
    } else if (this.timer === undefined) {
      this.timer = setTimeout(() => {
        this.timer = undefined
        this.dispatch()
      }, this.options.flushIntervalMs)
      // A pending flush must not keep a finished script alive.
      this.timer.unref()
    }
  }

  /** Moves everything buffered into the send chain, split into batches within MLflow's limits. */
  private dispatch(): void {
    this.stopTimer()
    while (this.hasPending) {
      const batch = this.takeBatch()
      this.tail = this.tail
        .then(() => this.options.send(batch))
        .catch((error: unknown) => {
          this.failure ??= { error }
        })
    }
  }

  private takeBatch(): LogBatch {
    const params = this.params.splice(0, LOG_BATCH_LIMITS.params)
    const tagEntries = [...this.tags].slice(0, LOG_BATCH_LIMITS.tags)
    for (const [key] of tagEntries) this.tags.delete(key)
    const room = LOG_BATCH_LIMITS.total - params.length - tagEntries.length
    const metrics = this.metrics.splice(0, Math.min(this.maxMetrics, room))
    return { metrics, params, tags: tagEntries.map(([key, value]) => ({ key, value })) }
  }
}
