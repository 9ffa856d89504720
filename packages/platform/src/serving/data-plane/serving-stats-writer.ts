import type { Kysely } from 'kysely'
import type { Logger } from 'pino'
import type { DatabaseSchema } from '../../storage/index.js'
import { LATENCY_BUCKETS, latencyColumn } from './latency-histogram.js'
import type { ServingStats, ServingStatsDelta } from './serving-stats.js'

/** How often a data plane writes its counters (`serving.statsFlushIntervalMs`). */
export const DEFAULT_STATS_FLUSH_INTERVAL_MS = 10_000

const MINUTE_MS = 60_000

export interface ServingStatsWriterOptions {
  db: Kysely<DatabaseSchema>
  stats: ServingStats
  /** 0: only on `flush()` and `close()`. */
  intervalMs?: number
  logger?: Logger
  /** Epoch ms; tests pin it. */
  now?: () => number
  /** Process CPU time used so far in microseconds; tests pin it. */
  cpuMicros?: () => number
}

/** A row to add to: the counters of one (deployment, model, version, minute). */
interface PendingRow extends ServingStatsDelta {
  minute: number
  cpuMs: number
}

const rowKey = (r: PendingRow) =>
  `${r.deployment}\u0000${r.model}\u0000${r.version}\u0000${r.minute}`

/** Adds `row` to the pending row of the same key (or makes it that row). */
function addPending(pending: Map<string, PendingRow>, row: PendingRow): void {
  const key = rowKey(row)
  const into = pending.get(key)
  if (into === undefined) {
    pending.set(key, row)
    return
  }
  into.requests += row.requests
  into.errors += row.errors
  into.predictions += row.predictions
  into.cpuMs += row.cpuMs
  for (let i = 0; i < LATENCY_BUCKETS; i++) into.latency[i]! += row.latency[i]!
}

function processCpuMicros(): number {
  const { user, system } = process.cpuUsage()
  return user + system
}

/**
 * Writes the data plane's counters to `serving_stats` off the hot path: every interval (and on
 * close) it takes them, shares the CPU time the process used since the last take among them by
 * their requests, and adds them to each pair's row of the minute. A failed write keeps the rows
 * and adds them next time; requests never wait for it.
 */
export class ServingStatsWriter {
  private pending = new Map<string, PendingRow>()
  private timer: NodeJS.Timeout | undefined
  private writing: Promise<void> | undefined
  private lastCpu: number
  private readonly now: () => number
  private readonly cpuMicros: () => number

  constructor(private readonly options: ServingStatsWriterOptions) {
    this.now = options.now ?? Date.now
    this.cpuMicros = options.cpuMicros ?? processCpuMicros
    this.lastCpu = this.cpuMicros()
    const interval = options.intervalMs ?? DEFAULT_STATS_FLUSH_INTERVAL_MS
    if (interval > 0) {
      this.timer = setInterval(() => void this.flush(), interval)
      this.timer.unref()
    }
  }

  /** Takes the counters and writes every pending row; resolves whether or not the write failed. */
  flush(): Promise<void> {
    this.collect()
    this.writing ??= this.write().finally(() => {
      this.writing = undefined
    })
    return this.writing
  }

  /** Rows not written yet (after failed writes). */
  get pendingRows(): number {
    return this.pending.size
  }

  async close(): Promise<void> {
    clearInterval(this.timer)
    await this.writing
    await this.flush()
  }

  private collect(): void {
    const deltas = this.options.stats.take()
    const cpu = this.cpuMicros()
    const cpuMs = Math.max(0, cpu - this.lastCpu) / 1000
    this.lastCpu = cpu
    let requests = 0
    for (const d of deltas) requests += d.requests
    const minute = Math.floor(this.now() / MINUTE_MS) * MINUTE_MS
    for (const d of deltas) {
      addPending(this.pending, { ...d, minute, cpuMs: (cpuMs * d.requests) / requests })
    }
  }

  private async write(): Promise<void> {
    if (this.pending.size === 0) return
    const rows = this.pending
    this.pending = new Map()
    try {
      await this.options.db.transaction().execute(async (trx) => {
        for (const r of rows.values()) {
          const values: Record<string, string | number> = {
            deployment: r.deployment,
            model: r.model,
            version: r.version,
            minute: r.minute,
            requests: r.requests,
            errors: r.errors,
            predictions: r.predictions,
            cpu_ms: r.cpuMs,
          }
          for (let i = 0; i < LATENCY_BUCKETS; i++) values[latencyColumn(i)] = r.latency[i]!
          const added = Object.keys(values).filter(
            (k) => !['deployment', 'model', 'version', 'minute'].includes(k),
          )
          await trx
            .insertInto('serving_stats')
            .values(values as never)
            .onConflict((oc) =>
              oc
                .columns(['deployment', 'model', 'version', 'minute'])
                .doUpdateSet((eb) =>
                  Object.fromEntries(
                    added.map((k) => [
                      k,
                      eb(
                        eb.ref(`serving_stats.${k}` as never),
                        '+',
                        eb.ref(`excluded.${k}` as never),
                      ),
                    ]),
                  ),
                ),
            )
            .execute()
        }
      })
    } catch (error) {
      // Keep them: the next flush adds them to whatever came in meanwhile.
      for (const row of rows.values()) addPending(this.pending, row)
      this.options.logger?.warn({ err: error }, 'serving: writing serving stats failed; will retry')
    }
  }
}
