import { describe, expect, it } from 'vitest'
import { seededRandom } from '../random.js'
import { pythonOracle } from '../test-support/python-oracle.js'
import { type SplitContext, findBestSplit } from './split-finder.js'
import { trainGbdt } from './train-gbdt.js'

const NUM_BINS = 25

interface Case {
  /** Per category bin: sum of gradients, sum of hessians, rows (0 rows: absent from the node). */
  g: number[]
  h: number[]
  c: number[]
  /** The missing slot, which always goes right. */
  missing: [number, number, number]
}

function randomCase(seed: number): Case {
  const rng = seededRandom(seed)
  const c = Array.from({ length: NUM_BINS }, () => (rng() < 0.15 ? 0 : 1 + Math.floor(rng() * 50)))
  const h = c.map((n) => n * (0.1 + 0.15 * rng()))
  const g = c.map((n) => n * (rng() * 2 - 1))
  return { g, h, c, missing: [3 * (rng() - 0.5), 2, 7] }
}

function splitOf(kase: Case, maxCatThreshold: number) {
  const hist = new Float64Array((NUM_BINS + 1) * 3)
  kase.c.forEach((_, b) => hist.set([kase.g[b]!, kase.h[b]!, kase.c[b]!], b * 3))
  hist.set(kase.missing, NUM_BINS * 3)
  const ctx: SplitContext = {
    bins: [
      {
        categorical: true,
        numBins: NUM_BINS,
        upperBounds: new Float64Array(0),
        categories: Float64Array.from({ length: NUM_BINS }, (_, b) => b),
      },
    ],
    slotOffset: Int32Array.of(0),
    lambda: 1,
    minChildSamples: 5,
    minChildWeight: 1e-3,
    catSmooth: 10,
    maxCatOneHot: 4,
    maxCatThreshold,
  }
  const sum = (i: number) => hist.filter((_, j) => j % 3 === i).reduce((a, v) => a + v, 0)
  const split = findBestSplit(ctx, hist, Int32Array.of(0), sum(0), sum(1), sum(2), 0)
  const left = split?.leftBins ? [...split.leftBins.keys()].filter((b) => split.leftBins![b]) : []
  return { gain: split?.gain ?? null, left }
}

// LightGBM's scan, written independently: categories ordered by G / (H + cat_smooth), each prefix
// of that order from either end holding at most max_cat_threshold categories is a left set.
const REFERENCE = `
lam, smooth, min_rows, min_hess = 1.0, 10.0, 5, 1e-3
out = []
for case, cap in zip(data['cases'], data['caps']):
    g, h, c = (np.array(case[k], dtype=float) for k in 'ghc')
    gm, hm, cm = case['missing']
    G, H, C = g.sum() + gm, h.sum() + hm, c.sum() + cm
    present = [b for b in range(len(c)) if c[b] > 0]
    order = sorted(present, key=lambda b: (g[b] / (h[b] + smooth), b))
    best = (0.0, None)
    for seq in (order, order[::-1]):
        for k in range(1, min(len(order) - 1, cap) + 1):
            L = seq[:k]
            gl, hl, cl = g[L].sum(), h[L].sum(), c[L].sum()
            if cl < min_rows or C - cl < min_rows or hl < min_hess or H - hl < min_hess: continue
            gain = gl**2 / (hl + lam) + (G - gl)**2 / (H - hl + lam) - G**2 / (H + lam)
            if gain > best[0]: best = (gain, sorted(L))
    out.append({'gain': best[0] if best[1] else None, 'left': best[1] or []})
print(json.dumps(out))`

describe('findBestSplit: categorical set splits', () => {
  const cases = Array.from({ length: 12 }, (_, i) => randomCase(100 + i))
  const caps = cases.map((_, i) => [1, 2, 3, 5, 8, 32][i % 6]!)

  it('chooses the best prefix within maxCatThreshold, as the LightGBM scan does (numpy reference)', () => {
    const expected = pythonOracle<{ gain: number | null; left: number[] }[]>(REFERENCE, {
      cases,
      caps,
    })
    cases.forEach((kase, i) => {
      const { gain, left } = splitOf(kase, caps[i]!)
      expect(left).toEqual(expected[i]!.left)
      expect(gain).toBeCloseTo(expected[i]!.gain!, 9)
      expect(left.length).toBeLessThanOrEqual(caps[i]!)
    })
    // The cap binds: without it, most of these splits would send more categories left.
    const capped = cases.filter((kase, i) => splitOf(kase, 1000).left.length > caps[i]!)
    expect(capped.length).toBeGreaterThanOrEqual(6)
  })

  it('a tighter cap never gives a higher gain, and a cap above the categories changes nothing', () => {
    for (const kase of cases) {
      const gains = [1, 2, 4, 8, 16, 24, NUM_BINS].map((cap) => splitOf(kase, cap).gain!)
      for (let i = 1; i < gains.length; i++) expect(gains[i]).toBeGreaterThanOrEqual(gains[i - 1]!)
      expect(splitOf(kase, 1000)).toEqual(splitOf(kase, NUM_BINS))
    }
  })
})

describe('trainGbdt: maxCatThreshold', () => {
  // 80 airports, delays high at an arbitrary 40 of them: the best set split has 40 on each side.
  const rng = seededRandom(11)
  const HIGH = new Set(Array.from({ length: 80 }, (_, c) => c).filter(() => rng() < 0.5))
  const n = 8000
  const code = Float64Array.from({ length: n }, () => Math.floor(rng() * 80))
  const label = Float64Array.from(code, (c) => (HIGH.has(c) ? 5 : 0) + rng())
  const data = { features: [code], label, categorical: [true] }
  const STUMP = { objective: 'regression', numTrees: 1, maxDepth: 1, learningRate: 1 } as const
  const leftSets = (model: ReturnType<typeof trainGbdt>) =>
    model.json.trees.flatMap((t) => t.categories.filter((c): c is number[] => c !== null))

  it('caps a set split at 32 categories by default and at the given number otherwise', () => {
    const sides = [HIGH.size, 80 - HIGH.size]
    expect(Math.min(...sides)).toBeGreaterThan(32)
    const uncapped = leftSets(trainGbdt(data, { ...STUMP, maxCatThreshold: 80 }))[0]!
    expect(sides).toContain(uncapped.length)
    expect(leftSets(trainGbdt(data, STUMP))[0]).toHaveLength(32)
    const model = trainGbdt(data, { objective: 'regression', numTrees: 20, maxCatThreshold: 6 })
    const sets = leftSets(model)
    expect(sets.length).toBeGreaterThan(20)
    expect(Math.max(...sets.map((s) => s.length))).toBe(6)
    // The first tree's capped set still lies on one side: all high or all low categories.
    expect(new Set(sets[0]!.map((c) => HIGH.has(c))).size).toBe(1)
  })
})
