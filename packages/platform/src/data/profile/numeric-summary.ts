import type { DuckDBConnection } from '@duckdb/node-api'
import type { ColumnType, Histogram } from '../dataset-types.js'
import { requiredNumber, finiteOrUndefined, readRows } from './column-sql.js'
import { histogramEdges } from './histogram-edges.js'
import { profileQuantiles, quantileRanks, type Quantiles } from './quantiles.js'

export interface NumericSummary {
  /** Values that are ±Infinity: counted as present, left out of every summary below. */
  readonly infinite: number
  readonly min?: number | string
  readonly max?: number | string
  readonly mean?: number
  readonly std?: number
  readonly quantiles?: Quantiles
  readonly histogram?: Histogram
}

/**
 * Summaries of a numeric or datetime column from its table of distinct values and counts
 * (`v`, `c`): a few small queries over at most one row per distinct value, never over the rows.
 * `numeric` is the DOUBLE view of `v` (epoch milliseconds for datetimes); `present` is the
 * column's count of present values, finite or not.
 */
export async function numericSummary(
  connection: DuckDBConnection,
  table: string,
  numeric: string,
  type: ColumnType,
  present: number,
  bins: number,
): Promise<NumericSummary> {
  const finite = `f AS (SELECT x, c FROM (SELECT ${numeric} AS x, c FROM ${table}) WHERE isfinite(x))`
  const [stats] = await readRows(
    connection,
    `WITH ${finite},
       m AS (SELECT sum(c) AS n, fsum(x * c) / sum(c) AS mean FROM f)
     SELECT m.n AS n, m.mean AS mean, min(f.x) AS lo, max(f.x) AS hi,
       CASE WHEN m.n > 1 THEN sqrt(fsum(f.c * (f.x - m.mean) * (f.x - m.mean)) / (m.n - 1)) END AS std
     FROM f, m GROUP BY m.n, m.mean`,
  )
  // No row at all when there is no finite value: the cross join with m is empty.
  const n = finiteOrUndefined(stats?.n) ?? 0
  const infinite = present - n
  if (n === 0) return { infinite }
  const lo = requiredNumber(stats?.lo, 'minimum')
  const hi = requiredNumber(stats?.hi, 'maximum')
  const std = finiteOrUndefined(stats?.std)
  const asText = type === 'datetime' ? isoTimestamp : (ms: number) => ms
  return {
    infinite,
    min: asText(lo),
    max: asText(hi),
    mean: requiredNumber(stats?.mean, 'mean'),
    ...(std === undefined ? {} : { std }),
    quantiles: await quantiles(connection, finite, n, lo, hi),
    // A range wider than the largest double (values near ±1.8e308) has no equal-width bins.
    ...(Number.isFinite(hi - lo)
      ? { histogram: await histogram(connection, finite, n, lo, hi, bins) }
      : {}),
  }
}

/** Buckets that narrow the search for a rank to a small slice of the distinct values. */
const RANK_BUCKETS = 4096

/**
 * Exact quantiles from the distinct values. The value at rank r is the smallest x whose running
 * count passes r. Running counts over every distinct value would sort them all; instead the
 * values are cut into equal-width buckets (in order, since the bucket is monotone in x), the
 * bucket holding each rank is found from the bucket totals, and only those few buckets are sorted.
 * Halving before subtracting keeps the bucket arithmetic finite for any finite lo and hi.
 */
async function quantiles(
  connection: DuckDBConnection,
  finite: string,
  n: number,
  lo: number,
  hi: number,
): Promise<Quantiles> {
  if (lo === hi) return profileQuantiles(n, () => lo)
  const ranks = quantileRanks(n)
  const z = '(x / 2 - $1 / 2) / ($2 / 2 - $1 / 2)'
  const bucket = `least(CAST(floor(CASE WHEN isnan(${z}) THEN 0 ELSE ${z} END * ${RANK_BUCKETS}) AS BIGINT), ${RANK_BUCKETS - 1})`
  const rows = await readRows(
    connection,
    `WITH ${finite},
       b AS (SELECT x, c, ${bucket} AS k FROM f),
       totals AS (SELECT k, sum(c) AS n FROM b GROUP BY k),
       starts AS (SELECT k, n, sum(n) OVER (ORDER BY k) - n AS before FROM totals),
       ranks AS (SELECT unnest([${ranks.join(', ')}]) AS r),
       need AS (SELECT r, k, r - before AS offset FROM ranks JOIN starts
                ON before <= r AND r < before + n),
       s AS (SELECT k, x, sum(c) OVER (PARTITION BY k ORDER BY x) AS cum FROM b
             WHERE k IN (SELECT k FROM need))
     SELECT need.r AS rank, min(s.x) AS x FROM need JOIN s ON s.k = need.k AND s.cum > need.offset
     GROUP BY need.r`,
    [lo, hi],
  )
  const byRank = new Map(
    rows.map((row) => [requiredNumber(row.rank, 'rank'), requiredNumber(row.x, 'ranked value')]),
  )
  return profileQuantiles(n, (rank) => {
    const value = byRank.get(rank)
    if (value === undefined) return requiredNumber(undefined, `value at rank ${rank}`)
    return value
  })
}

/**
 * Bin counts over the numpy edges. The first guess divides, then the guess is moved by one bin
 * where rounding put a value on the wrong side of an edge, as numpy does; edge i is i·step + lo in
 * both places, so the comparisons see the very edges the profile reports.
 */
async function histogram(
  connection: DuckDBConnection,
  finite: string,
  n: number,
  lo: number,
  hi: number,
  bins: number,
): Promise<Histogram> {
  const edges = histogramEdges(lo, hi, bins)
  if (lo === hi) return { edges, counts: [n] }
  const last = bins - 1
  const edge = (i: string): string => `CAST(${i} AS DOUBLE) * $3 + $1`
  const rows = await readRows(
    connection,
    `WITH ${finite},
       g AS (SELECT x, c, least(CAST(floor((x - $1) / ($2 - $1) * ${bins}) AS BIGINT), ${last}) AS i FROM f),
       d AS (SELECT x, c, CASE WHEN x < ${edge('i')} THEN i - 1 ELSE i END AS i FROM g)
     SELECT CASE WHEN i <> ${last} AND x >= ${edge('i + 1')} THEN i + 1 ELSE i END AS bin,
       sum(c) AS count
     FROM d GROUP BY bin`,
    [lo, hi, (hi - lo) / bins],
  )
  const counts = new Array<number>(bins).fill(0)
  for (const row of rows)
    counts[requiredNumber(row.bin, 'bin')] = requiredNumber(row.count, 'bin count')
  return { edges, counts }
}

/** Epoch milliseconds as ISO-8601 UTC text; sub-millisecond parts are dropped, not rounded. */
function isoTimestamp(ms: number): string {
  return new Date(Math.floor(ms)).toISOString()
}
