import { sortedFloat64 } from './radix-sort.js'

/** Ascending copy, in Float64Array.prototype.sort's order. */
export function sortedCopy(values: Float64Array): Float64Array {
  return sortedFloat64(values)
}

/**
 * Walks the pooled sample of two ascending arrays one distinct value at a time, in order.
 * `start` is the number of pooled values below `value`; `countX` and `countY` are how many times
 * it occurs in each sample. Ties share the midrank start + (countX + countY + 1) / 2.
 */
export function forEachTieGroup(
  xs: Float64Array,
  ys: Float64Array,
  visit: (value: number, countX: number, countY: number, start: number) => void,
): void {
  let i = 0
  let j = 0
  const nx = xs.length
  const ny = ys.length
  while (i < nx || j < ny) {
    const xv = i < nx ? (xs[i] as number) : Infinity
    const yv = j < ny ? (ys[j] as number) : Infinity
    const value = i < nx && (j >= ny || xv <= yv) ? xv : yv
    const start = i + j
    let countX = 0
    while (i < nx && xs[i] === value) {
      i++
      countX++
    }
    let countY = 0
    while (j < ny && ys[j] === value) {
      j++
      countY++
    }
    visit(value, countX, countY, start)
  }
}
