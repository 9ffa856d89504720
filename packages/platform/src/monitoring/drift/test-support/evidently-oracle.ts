import { pythonOracle } from '../../../training/test-support/python-oracle.js'
import type { DriftColumn } from '../stattest.js'

/**
 * Evidently's drift formulas written again with numpy and scipy, as the reference for the
 * TypeScript tests. `data.tests` is a list of {test, ref, cur, type}; the answer is one score each.
 */
const SCRIPT = String.raw`
from collections import Counter
from scipy import stats
from scipy.spatial import distance

def counts(ref, cur):
    keys = sorted(set(ref) | set(cur))
    r, c = Counter(ref), Counter(cur)
    return keys, np.array([r[k] for k in keys], dtype=float), np.array([c[k] for k in keys], dtype=float)

def floor(p):
    m = p[p != 0].min()
    p[p == 0] = m / 1e6 if m <= 0.0001 else 0.0001
    return p

def shares(ref, cur, kind, fill):
    if kind == 'num' and len(set(ref)) > 20:
        edges = np.histogram_bin_edges(np.concatenate([np.array(ref), np.array(cur)]), bins='sturges')
        r = np.histogram(np.array(ref), edges)[0] / len(ref)
        c = np.histogram(np.array(cur), edges)[0] / len(cur)
    else:
        _, r, c = counts(ref, cur)
        r, c = r / len(ref), c / len(cur)
    if fill:
        r, c = floor(r.astype(float)), floor(c.astype(float))
    return r, c

def chisquare(ref, cur, kind):
    _, r, c = counts(ref, cur)
    return float(stats.chisquare(c, r * len(cur) / len(ref))[1])

def z(ref, cur, kind):
    if len(set(ref)) == 1 and len(set(cur)) == 1 and set(ref) == set(cur):
        return 1.0
    first = sorted(set(ref) | set(cur))[0]
    n1, n2 = len(ref), len(cur)
    p1 = sum(1 for v in ref if v != first) / n1
    p2 = sum(1 for v in cur if v != first) / n2
    p = (p1 * n1 + p2 * n2) / (n1 + n2)
    zs = (p1 - p2) / np.sqrt(p * (1 - p) * (1 / n1 + 1 / n2))
    return float(2 * (1 - stats.norm.cdf(abs(zs))))

def jensenshannon(ref, cur, kind):
    r, c = shares(ref, cur, kind, False)
    return float(distance.jensenshannon(r, c, 2))

def kl_div(ref, cur, kind):
    r, c = shares(ref, cur, kind, True)
    return float(stats.entropy(r, c))

def psi(ref, cur, kind):
    r, c = shares(ref, cur, kind, True)
    return float(np.sum((r - c) * np.log(r / c)))

def hellinger(ref, cur, kind):
    keys, r, c = counts(ref, cur)
    if kind == 'cat':
        h = np.sum(np.sqrt((r / len(ref)) * (c / len(cur))))
    else:
        edges = np.histogram_bin_edges(keys, bins='sturges')
        h1 = np.histogram(np.array(ref), bins=edges, density=True)[0]
        h2 = np.histogram(np.array(cur), bins=edges, density=True)[0]
        width = (max(keys) - min(keys)) / len(h1)
        h = sum(np.sqrt(a * b) * width for a, b in zip(h1, h2))
    return float(np.sqrt(1 - np.clip(h, 0, 1)))

def fisher_exact(ref, cur, kind):
    keys, r, c = counts(ref, cur)
    if len(keys) == 1:
        r, c = np.append(r, 0), np.append(c, 0)
    return float(stats.fisher_exact([[c[0], c[1]], [r[0], r[1]]])[1])

def g_test(ref, cur, kind):
    _, r, c = counts(ref, cur)
    return float(stats.power_divergence(c, r, lambda_='log-likelihood')[1])

def TVD(ref, cur, kind):
    def tvd(a, b):
        _, r, c = counts(a, b)
        return 0.5 * np.sum(np.abs(r / r.sum() - c / c.sum()))
    observed = tvd(ref, cur)
    np.random.seed(0)
    pooled = list(ref) + list(cur)
    reached = 0
    for _ in range(1000):
        new_ref = np.random.choice(pooled, len(ref), replace=False).tolist()
        new_cur = list((Counter(pooled) - Counter(new_ref)).elements())
        reached += observed <= abs(tvd(new_ref, new_cur))
    return reached / 1000

print(json.dumps([globals()[t['test']](t['ref'], t['cur'], t['type']) for t in data['tests']]))
`

export interface OracleCase {
  test: string
  ref: DriftColumn
  cur: DriftColumn
  type: 'num' | 'cat'
}

export function evidentlyScores(cases: readonly OracleCase[]): number[] {
  return pythonOracle<number[]>(SCRIPT, {
    tests: cases.map((c) => ({ ...c, ref: plain(c.ref), cur: plain(c.cur) })),
  })
}

function plain(values: DriftColumn): (number | string)[] {
  return values instanceof Float64Array ? Array.from(values) : [...values]
}

/** Deterministic pseudo-random numbers for fixtures (mulberry32). */
export function seededRandom(seed: number): () => number {
  let a = seed >>> 0
  return () => {
    a = (a + 0x6d2b79f5) >>> 0
    let t = a
    t = Math.imul(t ^ (t >>> 15), t | 1)
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61)
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296
  }
}

/** A normal sample by Box-Muller over `seededRandom`. */
export function normalSample(n: number, mean: number, sd: number, seed: number): Float64Array {
  const random = seededRandom(seed)
  return Float64Array.from({ length: n }, () => {
    const u = 1 - random()
    const v = random()
    return mean + sd * Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * v)
  })
}

/** A categorical sample drawn with the given weights. */
export function categorySample(
  n: number,
  categories: readonly string[],
  weights: readonly number[],
  seed: number,
): string[] {
  const random = seededRandom(seed)
  const total = weights.reduce((a, b) => a + b, 0)
  return Array.from({ length: n }, () => {
    let u = random() * total
    for (let i = 0; i < categories.length; i++) {
      u -= weights[i]!
      if (u < 0) return categories[i]!
    }
    return categories[categories.length - 1]!
  })
}
