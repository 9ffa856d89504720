import { InvalidParameterError } from '@ballast/contracts'
import { sortedFloat64 } from './math/radix-sort.js'
import type { DriftColumn } from './stattest.js'

/** Counts per distinct value of two samples over the union of their values, in sorted key order. */
export interface CategoryCounts {
  /** Distinct values of both samples: numbers ascending, strings by code point. */
  readonly keys: readonly (string | number)[]
  readonly reference: Float64Array
  readonly current: Float64Array
}

/** Orders strings as Python does (by code point), which differs from `<` past U+FFFF. */
export function compareCodePoints(a: string, b: string): number {
  const n = Math.min(a.length, b.length)
  for (let i = 0; i < n; i++) {
    const x = a.codePointAt(i)!
    const y = b.codePointAt(i)!
    if (x !== y) return x - y
    if (x > 0xffff) i++
  }
  return a.length - b.length
}

export function countCategories(reference: DriftColumn, current: DriftColumn): CategoryCounts {
  if (reference instanceof Float64Array && current instanceof Float64Array)
    return countNumbers(reference, current)
  if (!(reference instanceof Float64Array) && !(current instanceof Float64Array))
    return countStrings(reference, current)
  throw new InvalidParameterError('reference and current columns must have the same type')
}

/**
 * Whether the samples together hold at most `limit` distinct values (SameValueZero, as a Set).
 * Only "at most a few" is asked, so the scan stops at the first value past the limit instead of
 * sorting or hashing every value.
 */
export function atMostDistinct(samples: readonly DriftColumn[], limit: number): boolean {
  const seen: (string | number)[] = []
  for (const sample of samples) {
    for (let i = 0; i < sample.length; i++) {
      const v = sample[i]!
      if (seen.includes(v)) continue
      if (seen.length === limit) return false
      seen.push(v)
    }
  }
  return true
}

function countStrings(reference: readonly string[], current: readonly string[]): CategoryCounts {
  const ref = new Map<string, number>()
  const cur = new Map<string, number>()
  for (const v of reference) ref.set(v, (ref.get(v) ?? 0) + 1)
  for (const v of current) cur.set(v, (cur.get(v) ?? 0) + 1)
  const keys = [...new Set([...ref.keys(), ...cur.keys()])].sort(compareCodePoints)
  return {
    keys,
    reference: Float64Array.from(keys, (k) => ref.get(k) ?? 0),
    current: Float64Array.from(keys, (k) => cur.get(k) ?? 0),
  }
}

// Sort both samples and merge their runs: O(n log n) with no per-row objects.
function countNumbers(reference: Float64Array, current: Float64Array): CategoryCounts {
  const a = sortedFloat64(reference)
  const b = sortedFloat64(current)
  const keys: number[] = []
  const refCounts: number[] = []
  const curCounts: number[] = []
  let i = 0
  let j = 0
  while (i < a.length || j < b.length) {
    const key = j >= b.length || (i < a.length && a[i]! <= b[j]!) ? a[i]! : b[j]!
    let ra = 0
    let cb = 0
    while (i < a.length && a[i] === key) {
      ra++
      i++
    }
    while (j < b.length && b[j] === key) {
      cb++
      j++
    }
    keys.push(key)
    refCounts.push(ra)
    curCounts.push(cb)
  }
  return { keys, reference: Float64Array.from(refCounts), current: Float64Array.from(curCounts) }
}
