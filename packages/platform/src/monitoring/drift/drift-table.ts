import { InvalidParameterError } from '@ballast/contracts'
import type { DriftColumn, DriftColumnType } from './stattest.js'

/** One column of a data set to compare: numbers as a Float64Array, categories as strings. */
export interface DriftTableColumn {
  readonly name: string
  /** Defaults to 'num' for a Float64Array and 'cat' for strings. */
  readonly type?: DriftColumnType
  readonly values: Float64Array | readonly (string | null)[]
}

export type DriftTable = readonly DriftTableColumn[]

/** The column's values as a test takes them: NaN, ±Inf and nulls dropped. */
export function cleanColumn(
  column: DriftTableColumn,
  type: DriftColumnType,
  side: 'reference' | 'current',
): DriftColumn {
  const { values } = column
  let cleaned: DriftColumn
  if (values instanceof Float64Array) {
    const finite = finiteValues(values)
    cleaned = type === 'num' ? finite : Array.from(finite, String)
  } else {
    if (type === 'num')
      throw new InvalidParameterError(
        `column ${column.name} holds strings in the ${side} data and cannot be numerical`,
      )
    cleaned = values.includes(null)
      ? values.filter((v): v is string => v !== null)
      : (values as readonly string[])
  }
  if (cleaned.length === 0)
    throw new InvalidParameterError(`column ${column.name} has no values in the ${side} data`)
  return cleaned
}

export function columnType(column: DriftTableColumn, categorical: ReadonlySet<string>) {
  if (categorical.has(column.name)) return 'cat'
  return column.type ?? (column.values instanceof Float64Array ? 'num' : 'cat')
}

// A plain loop: TypedArray.prototype.filter with a callback is several times slower on 1M rows.
// A column with nothing to drop is returned as it is (the tests only read it), saving a copy.
function finiteValues(values: Float64Array): Float64Array {
  let kept = 0
  for (let i = 0; i < values.length; i++) if (Number.isFinite(values[i])) kept++
  if (kept === values.length) return values
  const out = new Float64Array(kept)
  let j = 0
  for (let i = 0; i < values.length; i++) {
    const v = values[i]!
    if (Number.isFinite(v)) out[j++] = v
  }
  return out
}
