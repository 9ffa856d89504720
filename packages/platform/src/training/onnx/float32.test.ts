import { describe, expect, it } from 'vitest'
import { seededRandom } from '../random.js'
import { pythonOracle } from '../test-support/python-oracle.js'
import { float32AtOrAbove, float32AtOrBelow, float32SplitBetween } from './float32.js'

const F32_MAX = 3.4028234663852886e38

function doubles(): number[] {
  const rng = seededRandom(5)
  const random = Array.from({ length: 300 }, () => (rng() - 0.5) * 10 ** Math.floor(rng() * 12 - 6))
  return [
    ...random,
    1 - 2 ** -30,
    1 + 2 ** -30,
    0.1,
    -0.1,
    1,
    0,
    -(2 ** -160),
    2 ** -160,
    1e39,
    -1e39,
    F32_MAX,
    Number.POSITIVE_INFINITY,
    Number.NEGATIVE_INFINITY,
  ]
}

describe('float32 rounding of thresholds', () => {
  it('gives the largest float32 <= t and the smallest >= t, as numpy does', () => {
    const ts = doubles()
    const ref = pythonOracle<{ below: (number | string)[]; above: (number | string)[] }>(
      `inf = np.float32(np.inf)
def below(t):
    f = np.float32(t)
    return float(np.nextafter(f, -inf) if float(f) > t else f)
def above(t):
    f = np.float32(t)
    return float(np.nextafter(f, inf) if float(f) < t else f)
enc = lambda v: v if np.isfinite(v) else str(v)
with np.errstate(over='ignore'):
    ts = [float(t) for t in data]
    print(json.dumps({'below': [enc(below(t)) for t in ts], 'above': [enc(above(t)) for t in ts]}))`,
      ts.map((t) => (Number.isFinite(t) ? t : String(t))),
    )
    const dec = (v: number | string) =>
      typeof v === 'number' ? v : Number(v.replace('inf', 'Infinity'))
    expect(ts.map(float32AtOrBelow)).toEqual(ref.below.map(dec))
    expect(ts.map(float32AtOrAbove)).toEqual(ref.above.map(dec))
    expect(float32AtOrBelow(1 - 2 ** -30)).toBe(1 - 2 ** -24)
    expect(float32AtOrBelow(1e39)).toBe(F32_MAX)
  })

  it('for every float32 x, x <= float32AtOrBelow(t) exactly when x <= t', () => {
    for (const t of doubles()) {
      const f = float32AtOrBelow(t)
      expect(Math.fround(f)).toBe(f)
      for (const x of [f, float32AtOrAbove(t), Math.fround(t)]) expect(x <= f).toBe(x <= t)
    }
  })

  it('places a split between neighbouring values on a float32 strictly between them', () => {
    // 0.1 and 0.2 are not float32 values; the threshold is, and their roundings fall either side.
    const t = float32SplitBetween(0.1, 0.2)
    // The largest float32 below the midpoint (fround(0.15) = 0.15000000596 is above it).
    expect(t).toBe(0.14999999105930328)
    expect(Math.fround(0.1) <= t && Math.fround(0.2) > t).toBe(true)
    expect(float32SplitBetween(1, 2)).toBe(1.5)
    // One float32 step apart: the only float32 in [lo, hi) is lo.
    expect(float32SplitBetween(1, 1 + 2 ** -23)).toBe(1)
    // Two doubles with the same float32 rounding: nothing separates them, lo is kept.
    expect(float32SplitBetween(1 + 2 ** -40, 1 + 2 ** -39)).toBe(1 + 2 ** -40)
    // 1 - 2^-30 rounds up to 1: the threshold is 1, so that lo and its rounding both go left.
    expect(float32SplitBetween(1 - 2 ** -30, 1 + 2 ** -22)).toBe(1)
    const rng = seededRandom(3)
    for (let i = 0; i < 2000; i++) {
      const lo = rng() * 100
      const hi = lo + rng() * 10 ** -Math.floor(rng() * 9)
      if (!(hi > lo)) continue
      const s = float32SplitBetween(lo, hi)
      expect(lo <= s && s < hi).toBe(true)
      if (s !== lo) {
        expect(Math.fround(s)).toBe(s)
        expect(Math.fround(lo) <= s && Math.fround(hi) > s).toBe(true)
      }
    }
  })
})
