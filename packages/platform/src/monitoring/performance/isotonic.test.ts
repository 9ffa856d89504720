import { isAppError } from '@ballast/contracts'
import { describe, expect, it } from 'vitest'
import { mulberry32 } from '../drift/math/seeded-random.js'
import { pythonOracle } from '../../training/test-support/python-oracle.js'
import { fitIsotonic, isotonicFromJSON } from './isotonic.js'

/**
 * Oracle: textbook pool-adjacent-violators in plain Python over numpy arrays (sort by x, merge
 * tied x into their weighted mean, pool adjacent blocks until non-decreasing), evaluated with
 * np.interp, which clips to the end values outside the fitted range — the same function as
 * sklearn's IsotonicRegression(out_of_bounds='clip').
 */
const PAV = `
out = []
for case in data:
    x = np.asarray(case['x'], float); y = np.asarray(case['y'], float); w = np.asarray(case['w'], float)
    keep = w > 0
    x, y, w = x[keep], y[keep], w[keep]
    xs, group = np.unique(x, return_inverse=True)
    ws = np.bincount(group, weights=w)
    ys = np.bincount(group, weights=w * y) / ws
    blocks = []  # [mean, weight, count]
    for v, wt in zip(ys, ws):
        blocks.append([v, wt, 1])
        while len(blocks) > 1 and blocks[-2][0] >= blocks[-1][0]:
            m2, w2, c2 = blocks.pop()
            m1, w1, c1 = blocks.pop()
            blocks.append([(m1 * w1 + m2 * w2) / (w1 + w2), w1 + w2, c1 + c2])
    fitted = np.concatenate([np.full(c, m) for m, _, c in blocks])
    out.append({'fitted': fitted.tolist(), 'at': np.interp(case['at'], xs, fitted).tolist(),
                'xs': xs.tolist()})
print(json.dumps(out))
`

function fit(x: number[], y: number[], w?: number[]) {
  return fitIsotonic(x, y, w)
}

describe('fitIsotonic', () => {
  it('pools adjacent violators: [1, 3, 2, 4] becomes [1, 2.5, 2.5, 4]', () => {
    const c = fit([1, 2, 3, 4], [1, 3, 2, 4])
    expect(Array.from(c.applyAll(Float64Array.from([1, 2, 3, 4])))).toEqual([1, 2.5, 2.5, 4])
    // The flat run 2.5, 2.5 keeps its end points only.
    expect(Array.from(c.x)).toEqual([1, 2, 3, 4])
    // Between thresholds it is linear; outside, the end values.
    expect(c.apply(1.5)).toBe(1.75)
    expect(c.apply(3.5)).toBe(3.25)
    expect(c.apply(-10)).toBe(1)
    expect(c.apply(10)).toBe(4)
    expect(c.apply(Number.NaN)).toBeNaN()
  })

  it('pools a decreasing run into one mean and merges tied scores first', () => {
    // 3, 2, 1 pool to 2; the tie at x = 5 averages 2 and 4 to 3, above the pool.
    const c = fit([1, 2, 3, 5, 5], [3, 2, 1, 2, 4])
    expect(Array.from(c.applyAll(Float64Array.from([1, 2, 3, 5])))).toEqual([2, 2, 2, 3])
    expect(Array.from(c.x)).toEqual([1, 3, 5])
    // A tie below the pool joins it: (3·2 + 0.5·2) / 5 = 1.4.
    const d = fit([1, 2, 3, 5, 5], [3, 2, 1, 0, 1])
    expect(Array.from(d.applyAll(Float64Array.from([1, 5])))).toEqual([1.4, 1.4])
    // Weights: labels 3 (weight 3) and 1 (weight 1) pool to (9 + 1) / 4 = 2.5; 4 stays above.
    const w = fit([1, 2, 3], [3, 1, 4], [3, 1, 1])
    expect(Array.from(w.applyAll(Float64Array.from([1, 2, 3])))).toEqual([2.5, 2.5, 4])
  })

  it('drops rows of weight 0 and fits a constant to a single distinct score', () => {
    const c = fit([0.2, 0.9, 0.2], [0, 1, 1], [1, 0, 1])
    expect(c.apply(0)).toBe(0.5)
    expect(c.apply(1)).toBe(0.5)
    expect(c.toJSON()).toEqual({ kind: 'isotonic', x: [0.2], y: [0.5] })
  })

  it('agrees with a Python PAV on random scores, labels and weights to 1e-12', () => {
    const rnd = mulberry32(7)
    const cases = [200, 1000, 3000].map((n, k) => {
      // Scores rounded to 2 decimals so ties are frequent; labels Bernoulli(score) or real.
      const x = Array.from({ length: n }, () => Math.round(rnd() * 100) / 100)
      const y = x.map((s) => (k === 2 ? s * 3 + rnd() - 0.5 : rnd() < s ? 1 : 0))
      const w = x.map(() => (k === 1 ? Math.floor(rnd() * 4) : 1))
      const at = Array.from({ length: 300 }, () => rnd() * 1.2 - 0.1)
      return { x, y, w, at }
    })
    const expected = pythonOracle<{ fitted: number[]; at: number[]; xs: number[] }[]>(PAV, cases)
    cases.forEach((c, i) => {
      const ref = expected[i]!
      const cal = fitIsotonic(c.x, c.y, c.w)
      const onX = cal.applyAll(Float64Array.from(ref.xs))
      const at = cal.applyAll(Float64Array.from(c.at))
      expect(onX.length).toBe(ref.fitted.length)
      ref.fitted.forEach((v, j) => expect(Math.abs(onX[j]! - v)).toBeLessThan(1e-12))
      ref.at.forEach((v, j) => expect(Math.abs(at[j]! - v)).toBeLessThan(1e-12))
      // Monotone everywhere.
      for (let j = 1; j < cal.y.length; j++) expect(cal.y[j]!).toBeGreaterThanOrEqual(cal.y[j - 1]!)
    })
  })

  it('rejects mismatched lengths, non-finite values and negative weights, naming them', () => {
    expect(() => fit([1, 2], [1])).toThrow('fitIsotonic: 2 scores but 1 labels')
    expect(() => fit([1, Number.NaN], [1, 0])).toThrow('scores[1] must be a finite number, got NaN')
    expect(() => fit([1, 2], [1, 0], [1, -1])).toThrow('weights[1] must be >= 0, got -1')
    expect(() => fit([], [])).toThrow('fitIsotonic: no rows with a positive weight')
  })
})

describe('isotonicFromJSON', () => {
  it('round-trips a fitted calibrator through JSON', () => {
    const rnd = mulberry32(3)
    const x = Array.from({ length: 500 }, () => rnd())
    const y = x.map((s) => (rnd() < s ? 1 : 0))
    const c = fitIsotonic(x, y)
    const back = isotonicFromJSON(JSON.parse(JSON.stringify(c)))
    const probe = Float64Array.from({ length: 200 }, () => rnd())
    expect(back.applyAll(probe)).toEqual(c.applyAll(probe))
  })

  it('rejects a malformed calibrator, naming the field', () => {
    const bad = (v: unknown): string => {
      try {
        isotonicFromJSON(v)
      } catch (e) {
        expect(isAppError(e) && e.code).toBe('INVALID_PARAMETER_VALUE')
        return (e as Error).message
      }
      return 'no error'
    }
    expect(bad(null)).toBe('isotonic calibrator must be an object')
    expect(bad({ kind: 'linear', x: [0], y: [0] })).toMatch(/field 'kind'/)
    expect(bad({ kind: 'isotonic', x: [0, 'a'], y: [0, 1] })).toBe(
      `isotonic calibrator field 'x[1]' must be a finite number, got "a"`,
    )
    expect(bad({ kind: 'isotonic', x: [0, 1], y: [0] })).toMatch(/same length, got 2 and 1/)
    expect(bad({ kind: 'isotonic', x: [1, 1], y: [0, 1] })).toMatch(/'x\[1\]' must be greater/)
    expect(bad({ kind: 'isotonic', x: [0, 1], y: [1, 0] })).toMatch(/'y\[1\]' must not be less/)
  })
})
