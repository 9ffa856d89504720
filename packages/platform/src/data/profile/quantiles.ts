/**
 * The quantiles every profile reports, as fractions. Exact quantiles with linear interpolation
 * between the two nearest ranks: numpy's default `np.percentile(a, q, method='linear')`, pandas'
 * `quantile()` and DuckDB's `quantile_cont` all agree on this definition.
 */
export const PROFILE_QUANTILES = {
  p1: 0.01,
  p5: 0.05,
  p25: 0.25,
  p50: 0.5,
  p75: 0.75,
  p95: 0.95,
  p99: 0.99,
} as const

export type QuantileKey = keyof typeof PROFILE_QUANTILES
export type Quantiles = { readonly [K in QuantileKey]: number }

/** Where quantile `q` of `n` sorted values lies: between 0-based ranks `lo` and `hi`, at `t`. */
export function quantilePosition(n: number, q: number): { lo: number; hi: number; t: number } {
  // (n − 1)·q is numpy's virtual index for 'linear'; computing it the same way keeps us bit-equal.
  const h = (n - 1) * q
  const lo = Math.floor(h)
  return { lo, hi: Math.min(lo + 1, n - 1), t: h - lo }
}

/** The distinct ranks the profile quantiles of `n` values need, ascending. */
export function quantileRanks(n: number): number[] {
  const ranks = new Set<number>()
  for (const q of Object.values(PROFILE_QUANTILES)) {
    const { lo, hi } = quantilePosition(n, q)
    ranks.add(lo)
    ranks.add(hi)
  }
  return [...ranks].sort((a, b) => a - b)
}

/**
 * numpy's `_lerp`: from the nearer end, so that t = 1 gives exactly b and the result stays inside
 * [a, b] despite rounding.
 */
export function lerp(a: number, b: number, t: number): number {
  const diff = b - a
  return t >= 0.5 ? b - diff * (1 - t) : a + diff * t
}

/** The profile quantiles of `n` values (n ≥ 1), given the sorted value at each needed rank. */
export function profileQuantiles(n: number, valueAtRank: (rank: number) => number): Quantiles {
  const at = (q: number): number => {
    const { lo, hi, t } = quantilePosition(n, q)
    return lerp(valueAtRank(lo), valueAtRank(hi), t)
  }
  return {
    p1: at(PROFILE_QUANTILES.p1),
    p5: at(PROFILE_QUANTILES.p5),
    p25: at(PROFILE_QUANTILES.p25),
    p50: at(PROFILE_QUANTILES.p50),
    p75: at(PROFILE_QUANTILES.p75),
    p95: at(PROFILE_QUANTILES.p95),
    p99: at(PROFILE_QUANTILES.p99),
  }
}
