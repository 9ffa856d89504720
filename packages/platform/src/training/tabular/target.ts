import { InvalidParameterError } from '@ballast/contracts'
import { findColumn } from './preprocess.js'
import type { TabularTable, TabularTask } from './types.js'

export interface EncodedTarget {
  /** Per table row: the class index or the value; NaN where the target is missing. */
  label: Float64Array
  /** Classification: labels in index order (sorted: numerically for numeric columns). */
  classes?: string[]
  /** Rows with a target, ascending. */
  rows: Uint32Array
  /** Rows dropped for a missing target. */
  dropped: number
}

/** Class indices by sorted distinct label, or numeric values; rows with no target are dropped. */
export function encodeTarget(table: TabularTable, name: string, task: TabularTask): EncodedTarget {
  const column = findColumn(table, name)
  const n = table.rowCount
  const label = new Float64Array(n).fill(Number.NaN)
  if (column.type === 'datetime') {
    throw new InvalidParameterError(`target column '${name}' is a datetime; it cannot be a target`)
  }
  let classes: string[] | undefined
  if (column.values instanceof Float64Array) {
    const values = column.values
    if (task === 'classification') {
      const distinct = new Set<number>()
      for (let i = 0; i < n; i++) {
        const v = values[i]!
        if (Number.isNaN(v)) continue
        if (!Number.isInteger(v)) {
          throw new InvalidParameterError(
            `target column '${name}' must hold class labels (integers or strings) for classification; row ${i} has ${v}`,
          )
        }
        distinct.add(v)
      }
      const sorted = [...distinct].sort((a, b) => a - b)
      const index = new Map(sorted.map((v, k) => [v, k]))
      for (let i = 0; i < n; i++) label[i] = index.get(values[i]!) ?? Number.NaN
      classes = sorted.map(String)
    } else {
      label.set(values)
    }
  } else {
    const values = column.values
    if (task === 'classification') {
      const sorted = [...new Set(values.filter((v): v is string => v !== null && v !== ''))].sort()
      const index = new Map(sorted.map((v, k) => [v, k]))
      values.forEach((v, i) => (label[i] = v === null ? Number.NaN : (index.get(v) ?? Number.NaN)))
      classes = sorted
    } else {
      values.forEach((v, i) => {
        if (v === null || v.trim() === '') return
        const x = Number(v)
        if (!Number.isFinite(x)) {
          throw new InvalidParameterError(
            `target column '${name}' must be numeric for regression; row ${i} has '${v}'`,
          )
        }
        label[i] = x
      })
    }
  }
  if (task === 'regression') {
    for (let i = 0; i < n; i++) {
      if (!Number.isNaN(label[i]!) && !Number.isFinite(label[i]!)) {
        throw new InvalidParameterError(
          `target column '${name}' must be finite for regression; row ${i} has ${label[i]}`,
        )
      }
    }
  }
  const rows: number[] = []
  for (let i = 0; i < n; i++) if (!Number.isNaN(label[i]!)) rows.push(i)
  if (classes !== undefined && classes.length < 2) {
    throw new InvalidParameterError(
      `target column '${name}' has ${classes.length} class(es); classification needs at least 2`,
    )
  }
  if (rows.length === 0) throw new InvalidParameterError(`target column '${name}' has no values`)
  return {
    label,
    ...(classes === undefined ? {} : { classes }),
    rows: Uint32Array.from(rows),
    dropped: n - rows.length,
  }
}
