const F32 = new Float32Array(1)
const BITS = new Int32Array(F32.buffer)

/** The float32 next to f (a float32) towards -Infinity. */
function float32Below(f: number): number {
  if (f === 0) return -(2 ** -149)
  F32[0] = f
  // Float32 bit patterns are ordered like their magnitudes within each sign.
  BITS[0] = f > 0 ? BITS[0]! - 1 : BITS[0]! + 1
  return F32[0]
}

/** The float32 next to f (a float32) towards +Infinity. */
function float32Above(f: number): number {
  return -float32Below(-f)
}

/**
 * The largest float32 f <= t. Math.fround rounds to nearest and may round up, which would move
 * the float32 inputs in (t, fround(t)] to the left of a split "x <= t"; with this f, every float32
 * x satisfies x <= f exactly when x <= t.
 */
export function float32AtOrBelow(t: number): number {
  const f = Math.fround(t)
  return f > t ? float32Below(f) : f
}

/** The smallest float32 f >= t. */
export function float32AtOrAbove(t: number): number {
  const f = Math.fround(t)
  return f < t ? float32Above(f) : f
}

/**
 * A float32 threshold t for a split between neighbouring distinct values lo < hi, so that
 * "x <= t" sends lo left and hi right: near the midpoint, and strictly between lo and hi (and
 * between their float32 roundings) when a float32 lies there, so that inputs rounded to float32 keep
 * their side. Returns lo itself when no float32 t has lo <= t < hi and fround(lo) <= t < fround(hi).
 */
export function float32SplitBetween(lo: number, hi: number): number {
  // Candidates keep lo <= t < hi (the binned decision) and fround(lo) <= t < fround(hi); the
  // smallest float32 >= lo is never below fround(lo).
  const from = float32AtOrAbove(lo)
  let to = float32AtOrBelow(hi)
  if (to >= hi || to >= Math.fround(hi)) to = float32Below(to)
  if (from > to) return lo
  const mid = lo / 2 + hi / 2
  const t = Math.min(Math.max(Number.isNaN(mid) ? 0 : float32AtOrBelow(mid), from), to)
  // Prefer a value strictly above lo so that lo, as a float32 input, is not on the boundary.
  return t === lo && t < to ? float32Above(t) : t
}
