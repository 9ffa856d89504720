import { describe, expect, it } from 'vitest'
import { pythonOracle } from '../../../training/test-support/python-oracle.js'
import { mulberry32, randomPermutation } from '../math/seeded-random.js'
import { expectRelClose, normalSample } from '../math/test-support/numeric-samples.js'
import { MMD_MAX_ROWS, empiricalMmd, empiricalMmdStatTest } from './empirical-mmd.js'

/**
 * Evidently's empirical MMD written again in numpy: full kernel matrices built as Evidently builds
 * them, median bandwidth from the reference block, diagonal zeroed, rows and columns permuted by
 * the given index arrays (Evidently draws them from numpy's global generator; here they are passed
 * in so both sides see the same ones).
 */
const ORACLE = `
def sq(a, b):
    return (b ** 2).T - 2 * np.dot(a, b.T) + a ** 2

def mmd(K, m, idx=None):
    if idx is not None:
        K = K[idx][:, idx]
    n = K.shape[0] - m
    return (1 / (n * (n - 1))) * K[:-m, :-m].sum() + (1 / (m * (m - 1))) * K[-m:, -m:].sum() - 2.0 * K[-m:, :-m].mean()

out = []
for case in data:
    x = np.array(case['ref']).reshape(-1, 1)
    y = np.array(case['cur']).reshape(-1, 1)
    dxx = sq(x, x)
    sigma = (0.5 * np.percentile(dxx.flatten(), 50, method='nearest')) ** 0.5
    if sigma == 0:
        sigma = 0.5 ** 0.5
    gamma = 1.0 / (2.0 * sigma ** 2)
    kxx, kxy, kyy = np.exp(-gamma * dxx), np.exp(-gamma * sq(x, y)), np.exp(-gamma * sq(y, y))
    K = np.concatenate((np.concatenate((kxx, kxy), axis=1), np.concatenate((kxy.T, kyy), axis=1)), axis=0)
    K = K - np.diag(np.diagonal(K))
    observed = mmd(K, y.shape[0])
    permuted = np.array([mmd(K, y.shape[0], np.array(p)) for p in case['perms']])
    out.append([float(observed), float((observed <= permuted).mean())])
print(json.dumps(out))
`

const CASES = [
  { ref: normalSample(111, 60), cur: normalSample(112, 50) },
  { ref: normalSample(113, 120), cur: normalSample(114, 90, 0.35) },
  { ref: normalSample(115, 80, 1000, 1, 2), cur: normalSample(116, 70, 1000.2, 1, 2) },
  { ref: normalSample(117, 41, 0, 1, 0), cur: normalSample(118, 40, 0, 1, 0) },
].map((c, i) => {
  const random = mulberry32(900 + i)
  const perms = Array.from({ length: 100 }, () =>
    randomPermutation(c.ref.length + c.cur.length, random),
  )
  return { ...c, perms }
})

describe('empirical_mmd', () => {
  it("matches a numpy re-implementation of Evidently's MMD statistic and permutation p-value", () => {
    const expected = pythonOracle<[number, number][]>(
      ORACLE,
      CASES.map((c) => ({
        ref: Array.from(c.ref),
        cur: Array.from(c.cur),
        perms: c.perms.map((p) => Array.from(p)),
      })),
    )
    CASES.forEach((c, i) => {
      const [mmd, pValue] = expected[i] as [number, number]
      const result = empiricalMmd(c.ref, c.cur, { permutations: c.perms })
      expectRelClose(result.mmd, mmd, 1e-9, `mmd ${i}`, 1e-15)
      expect(result.pValue, `p-value ${i}`).toBe(pValue)
    })
  })

  it('is repeatable: the default permutations come from a fixed seed', () => {
    const ref = normalSample(119, 50)
    const cur = normalSample(120, 50, 0.8)
    const first = empiricalMmdStatTest.compute(ref, cur, 'num', 0.1)
    expect(empiricalMmdStatTest.compute(ref, cur, 'num', 0.1)).toEqual(first)
    expect(first.drifted).toBe(first.score < 0.1)
  })

  it('scores identical constant columns 1 and refuses samples past its size limit', () => {
    const same = new Float64Array(10).fill(2)
    expect(empiricalMmdStatTest.compute(same, same, 'num', 0.1)).toEqual({
      score: 1,
      drifted: false,
    })
    const half = new Float64Array(MMD_MAX_ROWS / 2 + 1)
    expect(() => empiricalMmdStatTest.compute(half, half, 'num', 0.1)).toThrow(/at most 5000/)
  })
})
