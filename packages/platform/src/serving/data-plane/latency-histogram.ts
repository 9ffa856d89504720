/**
 * Fixed latency buckets (upper bounds in ms; a last bucket above 10 s) shared by the data plane's
 * counters and the `serving_stats` rows, so rows from every replica and minute add up bucket by
 * bucket.
 */
export const LATENCY_BOUNDS_MS = [1, 2.5, 5, 10, 25, 50, 100, 250, 500, 1_000, 2_500, 5_000, 10_000]

/** Buckets per histogram: one per bound, plus the one above the last bound. */
export const LATENCY_BUCKETS = LATENCY_BOUNDS_MS.length + 1

/** The column of bucket `i` in `serving_stats`. */
export const latencyColumn = (i: number) => `latency_${i}` as const

/** The bucket a latency falls in: the first whose upper bound it does not exceed. */
export function latencyBucket(ms: number): number {
  // A linear scan: 13 comparisons beat a binary search's branches at this size.
  let i = 0
  while (i < LATENCY_BOUNDS_MS.length && ms > LATENCY_BOUNDS_MS[i]!) i++
  return i
}

/**
 * The q-quantile (0 ≤ q ≤ 1) of the latencies counted in `counts`, interpolated linearly inside
 * the bucket that holds it (as Prometheus' histogram_quantile does); the first bucket starts at 0.
 * In the bucket above the last bound there is nothing to interpolate to: that bound is returned,
 * a lower estimate. Null when nothing was counted.
 */
export function latencyQuantile(counts: ArrayLike<number>, q: number): number | null {
  let total = 0
  for (let i = 0; i < counts.length; i++) total += counts[i]!
  if (total === 0) return null
  const rank = q * total
  let below = 0
  for (let i = 0; i < counts.length; i++) {
    const n = counts[i]!
    if (n > 0 && below + n >= rank) {
      if (i >= LATENCY_BOUNDS_MS.length) return LATENCY_BOUNDS_MS[LATENCY_BOUNDS_MS.length - 1]!
      const lower = i === 0 ? 0 : LATENCY_BOUNDS_MS[i - 1]!
      const upper = LATENCY_BOUNDS_MS[i]!
      return lower + ((upper - lower) * Math.max(0, rank - below)) / n
    }
    below += n
  }
  return LATENCY_BOUNDS_MS[LATENCY_BOUNDS_MS.length - 1]!
}
