import { InvalidParameterError } from '@ballast/contracts'
import { forEachTieGroup, sortedCopy } from '../math/pooled-ranks.js'
import type { StatTest } from '../stattest.js'
import { numericSamples } from './numeric-column.js'

/** Scholz & Stephens (1987) Table 2 interpolation coefficients and their significance levels. */
const B0 = [0.675, 1.281, 1.645, 1.96, 2.326, 2.573, 3.085]
const B1 = [-0.245, 0.25, 0.678, 1.149, 1.822, 2.364, 3.615]
const B2 = [-0.105, -0.305, -0.362, -0.391, -0.396, -0.345, -0.154]
const SIGNIFICANCE = [0.25, 0.1, 0.05, 0.025, 0.01, 0.005, 0.001]

export interface AndersonKSampleResult {
  statistic: number
  pValue: number
}

/**
 * scipy's anderson_ksamp([reference, current]) as Evidently calls it: midrank statistic A2akN,
 * standardized, p-value from the quadratic fit of log(significance) on the critical values,
 * capped to [0.001, 0.25] as scipy does.
 */
export function andersonKSample(
  reference: Float64Array,
  current: Float64Array,
): AndersonKSampleResult {
  const xs = sortedCopy(reference)
  const ys = sortedCopy(current)
  const n = [xs.length, ys.length] as const
  const N = n[0] + n[1]
  let distinct = 0
  let cumX = 0
  let cumY = 0
  const sums = [0, 0]
  forEachTieGroup(xs, ys, (_v, countX, countY, start) => {
    distinct++
    const lj = countX + countY
    const bj = start + lj / 2
    cumX += countX
    cumY += countY
    const denom = bj * (N - bj) - (N * lj) / 4
    const mx = cumX - countX / 2
    const my = cumY - countY / 2
    sums[0] = (sums[0] as number) + ((lj / N) * (N * mx - bj * n[0]) ** 2) / denom
    sums[1] = (sums[1] as number) + ((lj / N) * (N * my - bj * n[1]) ** 2) / denom
  })
  if (distinct < 2) {
    throw new InvalidParameterError(
      "Stat test 'anderson' needs more than one distinct value across reference and current",
    )
  }
  const a2kN = (((sums[0] as number) / n[0] + (sums[1] as number) / n[1]) * (N - 1)) / N

  const k = 2
  const H = 1 / n[0] + 1 / n[1]
  // hs_cs[i] = Σ_{t=0..i} 1/(N−1−t) for i = 0..N−3; h = Σ_{i=1..N−1} 1/i; g = Σ hs_cs[i]/(i+2).
  let cumulative = 0
  let g = 0
  for (let i = 0; i <= N - 3; i++) {
    cumulative += 1 / (N - 1 - i)
    g += cumulative / (i + 2)
  }
  const h = cumulative + 1
  const a = (4 * g - 6) * (k - 1) + (10 - 6 * g) * H
  const b = (2 * g - 4) * k ** 2 + 8 * h * k + (2 * g - 14 * h - 4) * H - 8 * h + 4 * g - 6
  const c = (6 * h + 2 * g - 2) * k ** 2 + (4 * h - 4 * g + 6) * k + (2 * h - 6) * H + 4 * h
  const d = (2 * h + 6) * k ** 2 - 4 * h * k
  const sigmaSq = (a * N ** 3 + b * N ** 2 + c * N + d) / ((N - 1) * (N - 2) * (N - 3))
  const m = k - 1
  const statistic = (a2kN - m) / Math.sqrt(sigmaSq)

  const critical = B0.map((b0, i) => b0 + (B1[i] as number) / Math.sqrt(m) + (B2[i] as number) / m)
  let pValue: number
  if (statistic < Math.min(...critical)) pValue = 0.25
  else if (statistic > Math.max(...critical)) pValue = 0.001
  else {
    const [p2, p1, p0] = quadraticFit(critical, SIGNIFICANCE.map(Math.log))
    pValue = Math.exp((p2 * statistic + p1) * statistic + p0)
  }
  return { statistic, pValue }
}

/** Least-squares y ≈ p2·x² + p1·x + p0 (numpy.polyfit degree 2), via the normal equations. */
function quadraticFit(xs: readonly number[], ys: readonly number[]): [number, number, number] {
  const s = [0, 0, 0, 0, 0]
  const t = [0, 0, 0]
  xs.forEach((x, i) => {
    const y = ys[i] as number
    for (let p = 0; p < 5; p++) s[p] = (s[p] as number) + x ** p
    for (let p = 0; p < 3; p++) t[p] = (t[p] as number) + y * x ** p
  })
  // Unknowns ordered [p0, p1, p2]: Σ x^(r+c) · p_c = Σ y·x^r.
  const M = [0, 1, 2].map((r) =>
    [0, 1, 2].map((col) => s[r + col] as number).concat(t[r] as number),
  )
  for (let col = 0; col < 3; col++) {
    let pivot = col
    for (let r = col + 1; r < 3; r++) {
      if (Math.abs(M[r]![col]!) > Math.abs(M[pivot]![col]!)) pivot = r
    }
    ;[M[col], M[pivot]] = [M[pivot]!, M[col]!]
    for (let r = 0; r < 3; r++) {
      if (r === col) continue
      const f = M[r]![col]! / M[col]![col]!
      for (let cc = col; cc < 4; cc++) M[r]![cc] = M[r]![cc]! - f * M[col]![cc]!
    }
  }
  const solution = [0, 1, 2].map((r) => M[r]![3]! / M[r]![r]!)
  return [solution[2]!, solution[1]!, solution[0]!]
}

export const andersonDarlingStatTest: StatTest = {
  id: 'anderson',
  name: 'Anderson-Darling',
  columnTypes: ['num'],
  defaultThreshold: 0.1,
  kind: 'p_value',
  compute(reference, current, columnType, threshold) {
    const s = numericSamples('anderson', reference, current, columnType)
    const score = andersonKSample(s.reference, s.current).pValue
    return { score, drifted: score < threshold }
  },
}
