import { kolmogorovSmirnovSf } from './kolmogorov-smirnov-distribution.js'
import { forEachTieGroup } from './pooled-ranks.js'

/** scipy's ks_2samp: 'auto' tries the exact p-value while both samples have at most this many rows. */
export const KS_MAX_EXACT_N = 10000

export interface KsTwoSampleResult {
  statistic: number
  pValue: number
  method: 'exact' | 'asymptotic'
}

/** numpy's round: half to even. */
export function roundHalfEven(x: number): number {
  const r = Math.round(x)
  return Math.abs(x % 1) === 0.5 && r % 2 !== 0 ? r - 1 : r
}

function gcd(a: number, b: number): number {
  while (b) [a, b] = [b, a % b]
  return a
}

/**
 * Two-sided two-sample Kolmogorov–Smirnov test on ascending samples, as scipy's
 * ks_2samp(method='auto'): exact lattice-path count when max(n1, n2) ≤ 10000 (falling back to the
 * asymptotic form if it overflows), else kstwo.sf(d, round(n1·n2 / (n1 + n2))).
 */
export function ksTwoSample(xs: Float64Array, ys: Float64Array): KsTwoSampleResult {
  const n1 = xs.length
  const n2 = ys.length
  let cumX = 0
  let cumY = 0
  let maxDiff = -Infinity
  let minDiff = Infinity
  forEachTieGroup(xs, ys, (_value, countX, countY) => {
    cumX += countX
    cumY += countY
    const diff = cumX / n1 - cumY / n2
    if (diff > maxDiff) maxDiff = diff
    if (diff < minDiff) minDiff = diff
  })
  const minS = Math.min(Math.max(-minDiff, 0), 1)
  let d = minS > maxDiff ? minS : maxDiff

  if (Math.max(n1, n2) <= KS_MAX_EXACT_N) {
    const g = gcd(n1, n2)
    const lcm = (n1 / g) * n2
    const h = roundHalfEven(d * lcm)
    d = h / lcm
    if (h === 0) return { statistic: d, pValue: 1, method: 'exact' }
    const prob = n1 === n2 ? probOutsideSquare(n1, h) : outerProbabilityInsideMethod(n1, n2, g, h)
    if (prob >= 0 && prob <= 1) return { statistic: d, pValue: prob, method: 'exact' }
  }
  const m = Math.max(n1, n2)
  const n = Math.min(n1, n2)
  const en = (m * n) / (m + n)
  const p = kolmogorovSmirnovSf(roundHalfEven(en), d)
  return { statistic: d, pValue: Math.min(Math.max(p, 0), 1), method: 'asymptotic' }
}

/** Equal sample sizes: proportion of lattice paths leaving the band |x − y| < h. */
function probOutsideSquare(n: number, h: number): number {
  let P = 0
  let k = Math.floor(n / h)
  while (k >= 0) {
    let p1 = 1
    for (let j = 0; j < h; j++) p1 = ((n - k * h - j) * p1) / (n + k * h + j + 1)
    P = p1 * (1 - P)
    k -= 1
  }
  return 2 * P
}

/**
 * Hodges' inside method, recursing on 1 − p directly (Viehmann 2021) with one sliding column,
 * exactly as scipy arranges it.
 */
function outerProbabilityInsideMethod(m0: number, n0: number, g: number, h: number): number {
  const m = Math.max(m0, n0)
  const n = Math.min(m0, n0)
  const mg = m / g
  const ng = n / g
  let minj = 0
  let maxj = Math.min(Math.ceil(h / mg), n + 1)
  let curlen = maxj - minj
  const lenA = Math.min(2 * maxj + 2, n + 1)
  const A = new Float64Array(lenA).fill(1)
  A.fill(0, minj, maxj)
  for (let i = 1; i <= m; i++) {
    const lastminj = minj
    const lastlen = curlen
    minj = Math.min(Math.max(Math.floor((ng * i - h) / mg) + 1, 0), n)
    maxj = Math.min(Math.ceil((ng * i + h) / mg), n + 1)
    if (maxj <= minj) return 1
    let val = minj === 0 ? 0 : 1
    for (let jj = 0; jj < maxj - minj; jj++) {
      const j = jj + minj
      val = ((A[jj + minj - lastminj] as number) * i + val * j) / (i + j)
      A[jj] = val
    }
    curlen = maxj - minj
    if (lastlen > curlen) A.fill(1, maxj - minj, maxj - minj + (lastlen - curlen))
  }
  return A[maxj - minj - 1] as number
}
