import { InvalidParameterError } from '@ballast/contracts'
import type { Kysely } from 'kysely'
import type { DatabaseSchema } from '../../storage/index.js'
import { LATENCY_BUCKETS, latencyColumn, latencyQuantile } from './latency-histogram.js'

export interface ServingStatsQuery {
  deployment: string
  /** One model version; every version of the deployment when absent. */
  version?: number
  /** Epoch ms; the minute holding `from` is included whole (rows are per minute). */
  from: number
  /** Epoch ms, exclusive: minutes starting at or after it are left out. */
  to: number
}

export interface ServingStatsTotals {
  requests: number
  errors: number
  predictions: number
  /** errors / requests; null without requests. */
  errorRate: number | null
  /** Requests per bucket of LATENCY_BOUNDS_MS. */
  latency: number[]
  /** Estimated from the histogram (ms); null without requests. */
  p50Ms: number | null
  p95Ms: number | null
  p99Ms: number | null
  cpuMs: number
}

const MINUTE_MS = 60_000

/** Sums of the rows in the range, with the latency quantiles the histogram gives. */
export async function readServingStats(
  db: Kysely<DatabaseSchema>,
  query: ServingStatsQuery,
): Promise<ServingStatsTotals> {
  for (const field of ['from', 'to'] as const) {
    if (!Number.isSafeInteger(query[field])) {
      throw new InvalidParameterError(
        `Invalid value for parameter '${field}': expected epoch milliseconds, got ${query[field]}`,
      )
    }
  }
  const columns = ['requests', 'errors', 'predictions', 'cpu_ms']
  for (let i = 0; i < LATENCY_BUCKETS; i++) columns.push(latencyColumn(i))
  let q = db
    .selectFrom('serving_stats')
    .select((eb) => columns.map((c) => eb.fn.sum(c as never).as(c)))
    .where('deployment', '=', query.deployment)
    .where('minute', '>=', Math.floor(query.from / MINUTE_MS) * MINUTE_MS)
    .where('minute', '<', query.to)
  if (query.version !== undefined) q = q.where('version', '=', query.version)
  const row = ((await q.executeTakeFirst()) ?? {}) as Record<string, unknown>
  const sum = (c: string) => Number(row[c] ?? 0)
  const latency = Array.from({ length: LATENCY_BUCKETS }, (_, i) => sum(latencyColumn(i)))
  const requests = sum('requests')
  const errors = sum('errors')
  return {
    requests,
    errors,
    predictions: sum('predictions'),
    errorRate: requests === 0 ? null : errors / requests,
    latency,
    p50Ms: latencyQuantile(latency, 0.5),
    p95Ms: latencyQuantile(latency, 0.95),
    p99Ms: latencyQuantile(latency, 0.99),
    cpuMs: sum('cpu_ms'),
  }
}
