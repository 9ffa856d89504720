import { InvalidParameterError } from '@ballast/contracts'
import { seededRandom } from '../random.js'
import { findColumn } from './preprocess.js'
import type { TabularTable } from './types.js'

export interface Split {
  train: Uint32Array
  test: Uint32Array
}

/** A seeded Fisher–Yates permutation of `rows`. */
export function shuffled(rows: ArrayLike<number>, seed: number): Uint32Array {
  const out = Uint32Array.from(rows)
  const rng = seededRandom(seed)
  for (let i = out.length - 1; i > 0; i--) {
    const j = Math.floor(rng() * (i + 1))
    const t = out[i]!
    out[i] = out[j]!
    out[j] = t
  }
  return out
}

const ascending = (a: Uint32Array): Uint32Array => a.sort()

/** round(fraction × n) seeded-random rows held out (at least one, leaving at least one). */
export function randomHoldout(
  rows: ArrayLike<number>,
  fraction: number,
  seed: number,
  what = 'test',
): Split {
  const n = rows.length
  const held = Math.round(fraction * n)
  if (held < 1 || held >= n) {
    throw new InvalidParameterError(
      `a ${what} fraction of ${fraction} of ${n} rows leaves an empty side; use more rows or another fraction`,
    )
  }
  const order = shuffled(rows, seed)
  return { train: ascending(order.slice(held)), test: ascending(order.slice(0, held)) }
}

/** Train: rows whose `column` is before `testAfter`; test: the rest (missing times included). */
export function timeSplit(
  table: TabularTable,
  rows: ArrayLike<number>,
  columnName: string,
  testAfter: string,
): Split {
  const column = findColumn(table, columnName)
  if (column.type !== 'datetime' || !(column.values instanceof Float64Array)) {
    throw new InvalidParameterError(`time split column '${columnName}' must be a datetime column`)
  }
  const cut = Date.parse(testAfter)
  if (Number.isNaN(cut)) {
    throw new InvalidParameterError(
      `time split 'testAfter' must be an ISO date; got '${testAfter}'`,
    )
  }
  const values = column.values
  const train: number[] = []
  const test: number[] = []
  for (let i = 0; i < rows.length; i++) {
    const r = rows[i]!
    if (values[r]! < cut) train.push(r)
    else test.push(r)
  }
  if (train.length === 0 || test.length === 0) {
    throw new InvalidParameterError(
      `time split at ${testAfter} on '${columnName}' leaves ${train.length} training and ${test.length} test rows; both need rows`,
    )
  }
  return { train: Uint32Array.from(train), test: Uint32Array.from(test) }
}

/** k seeded folds: fold f tests on every k-th row of a shuffled order, trains on the others. */
export function kFolds(rows: ArrayLike<number>, k: number, seed: number): Split[] {
  if (rows.length < k) {
    throw new InvalidParameterError(`parameter 'folds' is ${k} but there are ${rows.length} rows`)
  }
  const order = shuffled(rows, seed)
  return Array.from({ length: k }, (_, f) => {
    const train: number[] = []
    const test: number[] = []
    order.forEach((r, i) => (i % k === f ? test : train).push(r))
    return { train: ascending(Uint32Array.from(train)), test: ascending(Uint32Array.from(test)) }
  })
}

/** The given rows of each column. */
export function gather(columns: readonly Float64Array[], rows: ArrayLike<number>): Float64Array[] {
  return columns.map((col) => {
    const out = new Float64Array(rows.length)
    for (let i = 0; i < rows.length; i++) out[i] = col[rows[i]!]!
    return out
  })
}

export function gatherOne(column: Float64Array, rows: ArrayLike<number>): Float64Array {
  return gather([column], rows)[0]!
}
