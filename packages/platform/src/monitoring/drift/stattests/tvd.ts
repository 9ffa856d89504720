import { decideDrift } from '../decide-drift.js'
import { LegacyRandomState } from '../math/legacy-random-state.js'
import type { DriftColumn, StatTest } from '../stattest.js'

const PERMUTATIONS = 1000
const SEED = 0

/**
 * Total variation distance with a permutation p-value: the share of 1000 random splits of the
 * pooled rows (numpy's legacy generator, seed 0, as Evidently) whose distance reaches the
 * observed one.
 */
export const tvdStatTest: StatTest = {
  id: 'TVD',
  name: 'Total-Variation-Distance',
  columnTypes: ['cat'],
  defaultThreshold: 0.1,
  kind: 'p_value',
  compute(reference, current, _columnType, threshold) {
    const { codes, categories } = encode(reference, current)
    const nRef = reference.length
    const nCur = current.length
    const total = new Float64Array(categories)
    for (const code of codes) total[code]!++
    const refCounts = new Float64Array(categories)
    for (let i = 0; i < nRef; i++) refCounts[codes[i]!]!++
    const observed = distance(refCounts, total, nRef, nCur)

    const random = new LegacyRandomState(SEED)
    // Shuffling the codes with the swaps numpy applies to arange(n) puts codes[perm[i]] at i.
    const shuffled = new Int32Array(codes.length)
    let reached = 0
    for (let k = 0; k < PERMUTATIONS; k++) {
      shuffled.set(codes)
      random.shuffle(shuffled)
      refCounts.fill(0)
      for (let i = 0; i < nRef; i++) refCounts[shuffled[i]!]!++
      if (observed <= distance(refCounts, total, nRef, nCur)) reached++
    }
    return decideDrift('p_value', reached / PERMUTATIONS, threshold)
  },
}

/** ½ Σ |ref/nRef − cur/nCur|, the current counts being the pooled counts minus the reference's. */
function distance(
  refCounts: Float64Array,
  total: Float64Array,
  nRef: number,
  nCur: number,
): number {
  let s = 0
  for (let i = 0; i < refCounts.length; i++)
    s += Math.abs(refCounts[i]! / nRef - (total[i]! - refCounts[i]!) / nCur)
  return 0.5 * s
}

/** Category codes of the pooled rows, reference rows first, in row order. */
function encode(
  reference: DriftColumn,
  current: DriftColumn,
): { codes: Int32Array; categories: number } {
  const index = new Map<string | number, number>()
  const codes = new Int32Array(reference.length + current.length)
  let i = 0
  for (const sample of [reference, current])
    for (const v of sample) {
      let code = index.get(v)
      if (code === undefined) {
        code = index.size
        index.set(v, code)
      }
      codes[i++] = code
    }
  return { codes, categories: index.size }
}
