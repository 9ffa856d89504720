import { InvalidParameterError } from '@ballast/contracts'
import { randomPermutation, mulberry32 } from '../math/seeded-random.js'
import type { StatTest } from '../stattest.js'
import { numericSamples } from './numeric-column.js'

/** Permutations Evidently draws for the p-value. */
export const MMD_PERMUTATIONS = 100
/** Fixed default seed: Evidently draws from numpy's unseeded global generator, which no caller can
 * reproduce; a fixed seed makes a Ballast report repeatable instead. */
export const MMD_DEFAULT_SEED = 0
/**
 * The test is quadratic in time (every pair, for every permutation) and the median bandwidth
 * needs all reference pairs in memory, as in Evidently; past this many pooled rows, refuse rather
 * than exhaust memory.
 */
export const MMD_MAX_ROWS = 5000

export interface EmpiricalMmdOptions {
  /** Source of uniform [0, 1) draws for the permutations; default mulberry32(MMD_DEFAULT_SEED). */
  random?: () => number
  /** Explicit permutations of 0..n+m−1 (overrides `random`), mainly for reproducing a result. */
  permutations?: readonly Uint32Array[]
}

export interface EmpiricalMmdResult {
  mmd: number
  pValue: number
}

/** numpy's round: half to even. */
function roundHalfEven(x: number): number {
  const r = Math.round(x)
  return Math.abs(x % 1) === 0.5 && r % 2 !== 0 ? r - 1 : r
}

/** Squared distance as Evidently forms it, (b² − 2ab) + a², a from the row sample. */
const squaredDistance = (a: number, b: number): number => b * b - 2 * (a * b) + a * a

/** k-th smallest (0-based) of `values`, reordering them (Hoare quickselect). */
function select(values: Float64Array, k: number): number {
  let lo = 0
  let hi = values.length - 1
  while (lo < hi) {
    const pivot = values[(lo + hi) >>> 1] as number
    let i = lo
    let j = hi
    while (i <= j) {
      while ((values[i] as number) < pivot) i++
      while ((values[j] as number) > pivot) j--
      if (i <= j) {
        const t = values[i] as number
        values[i] = values[j] as number
        values[j] = t
        i++
        j--
      }
    }
    if (k <= j) hi = j
    else if (k >= i) lo = i
    else break
  }
  return values[k] as number
}

/**
 * Evidently's empirical maximum mean discrepancy test: RBF kernel with bandwidth
 * σ = √(½·median of the reference's pairwise squared distances) (numpy 'nearest' median over all
 * n² entries, diagonal included; σ = √½ when that median is 0), unbiased MMD² with the kernel
 * diagonal removed, p-value = share of permuted labelings whose MMD² is ≥ the observed one.
 */
export function empiricalMmd(
  reference: Float64Array,
  current: Float64Array,
  options: EmpiricalMmdOptions = {},
): EmpiricalMmdResult {
  const n = reference.length
  const m = current.length
  const total = n + m
  if (n < 2 || m < 2) {
    throw new InvalidParameterError(
      "Stat test 'empirical_mmd' needs at least two values in both reference and current",
    )
  }
  if (total > MMD_MAX_ROWS) {
    throw new InvalidParameterError(
      `Stat test 'empirical_mmd' is quadratic and accepts at most ${MMD_MAX_ROWS} reference + current values; got ${total}`,
    )
  }
  const referenceDistances = new Float64Array(n * n)
  for (let i = 0; i < n; i++) {
    const a = reference[i] as number
    for (let j = 0; j < n; j++)
      referenceDistances[i * n + j] = squaredDistance(a, reference[j] as number)
  }
  const median = select(referenceDistances, roundHalfEven((n * n - 1) * 0.5))
  let sigma = Math.sqrt(0.5 * median)
  if (sigma === 0) sigma = Math.sqrt(0.5)
  const gamma = 1 / (2 * sigma ** 2)

  const random = options.random ?? mulberry32(MMD_DEFAULT_SEED)
  const permutations =
    options.permutations ??
    Array.from({ length: MMD_PERMUTATIONS }, () => randomPermutation(total, random))
  // Row l of `labels` marks (with 1) the pooled rows that labeling l puts on the reference side;
  // row 0 is the observed split, rows 1.. the permutations.
  const count = permutations.length + 1
  const labels = new Float64Array(count * total)
  for (let i = 0; i < n; i++) labels[i] = 1
  permutations.forEach((perm, index) => {
    const offset = (index + 1) * total
    for (let i = 0; i < n; i++) labels[offset + (perm[i] as number)] = 1
  })
  const sxx = new Float64Array(count)
  const syy = new Float64Array(count)
  const sxy = new Float64Array(count)
  const pooled = new Float64Array(total)
  pooled.set(reference)
  pooled.set(current, n)
  // Entries (p, q) and (q, p), q > p, of Evidently's kernel matrix; its cross block is built
  // reference-first, so there both are the same value.
  const rowPQ = new Float64Array(total)
  const rowQP = new Float64Array(total)
  for (let p = 0; p < total - 1; p++) {
    const zp = pooled[p] as number
    let sumPQ = 0
    let sumQP = 0
    for (let q = p + 1; q < total; q++) {
      const zq = pooled[q] as number
      const kpq = Math.exp(-gamma * squaredDistance(zp, zq))
      const kqp = p < n && q >= n ? kpq : Math.exp(-gamma * squaredDistance(zq, zp))
      rowPQ[q] = kpq
      rowQP[q] = kqp
      sumPQ += kpq
      sumQP += kqp
    }
    for (let l = 0; l < count; l++) {
      const offset = l * total
      // Kernel mass from p to the later rows on the reference side, in both orientations.
      let toRefPQ = 0
      let toRefQP = 0
      for (let q = p + 1; q < total; q++) {
        const onReference = labels[offset + q] as number
        toRefPQ += onReference * (rowPQ[q] as number)
        toRefQP += onReference * (rowQP[q] as number)
      }
      if (labels[offset + p] === 1) {
        sxx[l] = (sxx[l] as number) + toRefPQ + toRefQP
        // The cross block sums rows of the current side against columns of the reference side.
        sxy[l] = (sxy[l] as number) + (sumQP - toRefQP)
      } else {
        syy[l] = (syy[l] as number) + (sumPQ - toRefPQ) + (sumQP - toRefQP)
        sxy[l] = (sxy[l] as number) + toRefPQ
      }
    }
  }
  const a = 1 / (n * (n - 1))
  const b = 1 / (m * (m - 1))
  const mmdOf = (l: number): number =>
    a * (sxx[l] as number) + b * (syy[l] as number) - 2.0 * ((sxy[l] as number) / (n * m))
  const mmd = mmdOf(0)
  let atLeast = 0
  for (let l = 1; l < count; l++) if (mmd <= mmdOf(l)) atLeast++
  return { mmd, pValue: atLeast / (count - 1) }
}

export const empiricalMmdStatTest: StatTest = {
  id: 'empirical_mmd',
  name: 'empirical_mmd',
  columnTypes: ['num'],
  defaultThreshold: 0.1,
  kind: 'p_value',
  compute(reference, current, columnType, threshold) {
    const s = numericSamples('empirical_mmd', reference, current, columnType)
    const score = empiricalMmd(s.reference, s.current).pValue
    return { score, drifted: score < threshold }
  },
}
