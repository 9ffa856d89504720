import { InvalidParameterError } from '@ballast/contracts'
import { DATE_PARTS, MISSING_DATETIME, datePartsOf } from '../onnx/datetime-export.js'
import type { DatePart } from '../onnx/datetime-export.js'
import type { OnnxFeed } from '../onnx/index.js'
import { columnWidth } from '../onnx/preprocessing-export.js'
import type { ColumnSpec } from '../onnx/preprocessing-export.js'
import type { TabularAlgo, TabularColumn, TabularColumnType, TabularTable } from './types.js'

/**
 * Preprocessing fitted on training rows. The same specs build the ONNX graph's inputs, so the
 * features computed here and by the served model agree.
 */
export interface Preprocessing {
  columns: ColumnSpec[]
  /** Raw input columns and their logical types, in `columns` order. */
  inputs: { name: string; type: TabularColumnType }[]
  /** Feature-matrix column names. */
  features: string[]
  /** Per feature: whether a tree should treat it as categorical codes. */
  categorical: boolean[]
}

export function findColumn(table: TabularTable, name: string): TabularColumn {
  const column = table.columns.find((c) => c.name === name)
  if (!column) throw new InvalidParameterError(`column '${name}' is not in the table`)
  if (column.values.length !== table.rowCount) {
    throw new InvalidParameterError(
      `column '${name}' has ${column.values.length} values but the table has ${table.rowCount} rows`,
    )
  }
  return column
}

function numbersOf(column: TabularColumn): Float64Array {
  if (!(column.values instanceof Float64Array)) {
    throw new InvalidParameterError(`column '${column.name}' must hold numbers (Float64Array)`)
  }
  return column.values
}

function stringsOf(column: TabularColumn): (string | null)[] {
  if (column.values instanceof Float64Array) {
    throw new InvalidParameterError(`column '${column.name}' must hold strings`)
  }
  return column.values
}

function median(values: number[]): number {
  if (values.length === 0) return 0
  values.sort((a, b) => a - b)
  const mid = values.length >> 1
  return values.length % 2 === 1 ? values[mid]! : (values[mid - 1]! + values[mid]!) / 2
}

// Features are float32 in the graph: rounding them here too makes tree thresholds, fills and
// comparisons identical in both places.
const f32 = Math.fround

/** JavaScript's Date range; the graph reads dates beyond it as missing. */
const MAX_EPOCH_MS = 8_640_000_000_000_000

function standardizer(values: number[]): { mean: number; scale: number } {
  const n = values.length
  const mean = n === 0 ? 0 : values.reduce((s, v) => s + v, 0) / n
  const variance = n === 0 ? 0 : values.reduce((s, v) => s + (v - mean) ** 2, 0) / n
  return { mean: f32(mean), scale: f32(Math.sqrt(variance)) }
}

/** Most frequent non-empty strings, at most `max`, by count then by text. */
function topCategories(values: (string | null)[], rows: ArrayLike<number>, max: number): string[] {
  const counts = new Map<string, number>()
  for (let i = 0; i < rows.length; i++) {
    const v = values[rows[i]!]
    if (v !== null && v !== undefined && v !== '') counts.set(v, (counts.get(v) ?? 0) + 1)
  }
  return [...counts.entries()]
    .sort((a, b) => b[1] - a[1] || (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : 0))
    .slice(0, max)
    .map(([v]) => v)
}

function datePartRows(values: Float64Array, rows: ArrayLike<number>, parts: readonly DatePart[]) {
  const out = parts.map(() => [] as number[])
  const scratch = { year: 0, month: 0, day: 0, dayofweek: 0, hour: 0 }
  for (let i = 0; i < rows.length; i++) {
    datePartsOf(values[rows[i]!]!, scratch)
    parts.forEach((p, k) => out[k]!.push(scratch[p]))
  }
  return out
}

/**
 * Fits each input column on the training rows: numbers and booleans get median imputation (and
 * standard scaling for linear models); strings become ordinal codes of the top `maxCategories`
 * (GBDT's native categoricals) or one-hot columns (linear models); date-times become date parts.
 */
export function fitPreprocessing(
  table: TabularTable,
  names: readonly string[],
  rows: ArrayLike<number>,
  algo: TabularAlgo,
  maxCategories: number,
): Preprocessing {
  const linear = algo !== 'gbdt'
  const result: Preprocessing = { columns: [], inputs: [], features: [], categorical: [] }
  for (const name of names) {
    const column = findColumn(table, name)
    let spec: ColumnSpec | null
    if (column.type === 'string') {
      const categories = topCategories(stringsOf(column), rows, maxCategories)
      spec =
        categories.length === 0
          ? null
          : linear
            ? { kind: 'onehot', name, categories }
            : { kind: 'ordinal', name, categories, unknownValue: Number.NaN }
    } else if (column.type === 'datetime') {
      const values = numbersOf(column)
      const [hours] = datePartRows(values, rows, ['hour'])
      // Dates without a time of day would only add a constant feature.
      const withHour = hours!.some((h) => h !== 0 && !Number.isNaN(h))
      const parts = DATE_PARTS.filter((p) => p !== 'hour' || withHour)
      spec = { kind: 'datetime', name, parts: [...parts] }
      if (linear) {
        const seen = datePartRows(values, rows, parts)
        const fill = seen.map((v) => f32(median(v.filter((x) => !Number.isNaN(x)))))
        const filled = seen.map((v, k) => v.map((x) => (Number.isNaN(x) ? fill[k]! : x)))
        const st = filled.map(standardizer)
        spec.fill = fill
        spec.scale = { mean: st.map((s) => s.mean), scale: st.map((s) => s.scale) }
      }
    } else {
      const values = numbersOf(column)
      const seen: number[] = []
      for (let i = 0; i < rows.length; i++) {
        const v = values[rows[i]!]!
        if (!Number.isNaN(v)) seen.push(f32(v))
      }
      const fill = f32(median([...seen]))
      spec = { kind: 'numeric', name, fill }
      if (linear)
        spec.scale = standardizer(seen.concat(new Array(rows.length - seen.length).fill(fill)))
    }
    if (spec === null) continue
    result.columns.push(spec)
    result.inputs.push({ name, type: column.type })
    const names =
      spec.kind === 'onehot'
        ? spec.categories.map((c) => `${name}=${c}`)
        : spec.kind === 'datetime'
          ? spec.parts.map((p) => `${name}_${p}`)
          : [name]
    result.features.push(...names)
    for (let k = 0; k < columnWidth(spec); k++) result.categorical.push(spec.kind === 'ordinal')
  }
  if (result.columns.length === 0) {
    throw new InvalidParameterError('no usable feature column: every feature column is empty')
  }
  return result
}

const scaled = (v: number, mean: number, scale: number): number =>
  (v - mean) * f32(scale === 0 ? 1 : 1 / scale)

/** The feature matrix (one Float64Array per feature) of every row of `table`. */
export function transform(prep: Preprocessing, table: TabularTable): Float64Array[] {
  const n = table.rowCount
  const out: Float64Array[] = []
  for (const spec of prep.columns) {
    const column = findColumn(table, spec.name)
    if (spec.kind === 'numeric') {
      const values = numbersOf(column)
      const col = new Float64Array(n)
      for (let i = 0; i < n; i++) {
        const v = values[i]!
        const x = Number.isNaN(v) ? (spec.fill ?? Number.NaN) : f32(v)
        col[i] = spec.scale ? scaled(x, spec.scale.mean, spec.scale.scale) : x
      }
      out.push(col)
    } else if (spec.kind === 'datetime') {
      const values = numbersOf(column)
      const cols = spec.parts.map(() => new Float64Array(n))
      const scratch = { year: 0, month: 0, day: 0, dayofweek: 0, hour: 0 }
      for (let i = 0; i < n; i++) {
        datePartsOf(values[i]!, scratch)
        spec.parts.forEach((p, k) => {
          let x = scratch[p]
          if (Number.isNaN(x) && spec.fill) x = spec.fill[k]!
          if (spec.scale) x = scaled(x, spec.scale.mean[k]!, spec.scale.scale[k]!)
          cols[k]![i] = x
        })
      }
      out.push(...cols)
    } else {
      const values = stringsOf(column)
      const index = new Map(spec.categories.map((c, k) => [c, k]))
      if (spec.kind === 'ordinal') {
        const col = new Float64Array(n)
        for (let i = 0; i < n; i++) {
          const v = values[i]
          col[i] = (v === null || v === undefined ? undefined : index.get(v)) ?? spec.unknownValue
        }
        out.push(col)
      } else {
        const cols = spec.categories.map(() => new Float64Array(n))
        for (let i = 0; i < n; i++) {
          const v = values[i]
          const k = v === null || v === undefined ? undefined : index.get(v)
          if (k !== undefined) cols[k]![i] = 1
        }
        out.push(...cols)
      }
    }
  }
  return out
}

/** The ONNX model's inputs for every row of `table`: missing strings as '', dates as INT64. */
export function onnxFeeds(
  columns: readonly ColumnSpec[],
  table: TabularTable,
): Record<string, OnnxFeed> {
  const feeds: Record<string, OnnxFeed> = {}
  for (const spec of columns) {
    const column = findColumn(table, spec.name)
    if (spec.kind === 'numeric') {
      feeds[spec.name] = Float32Array.from(numbersOf(column))
    } else if (spec.kind === 'datetime') {
      const values = numbersOf(column)
      feeds[spec.name] = BigInt64Array.from(values, (v) =>
        Math.abs(v) <= MAX_EPOCH_MS ? BigInt(Math.floor(v)) : MISSING_DATETIME,
      )
    } else {
      feeds[spec.name] = stringsOf(column).map((v) => v ?? '')
    }
  }
  return feeds
}
