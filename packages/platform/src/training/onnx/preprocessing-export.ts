import { InvalidParameterError } from '@ballast/contracts'
import { ML_DOMAIN, attr } from './onnx-builder.js'
import type { OnnxGraphBuilder } from './onnx-builder.js'
import { addDatetimeParts } from './datetime-export.js'
import type { DatePart } from './datetime-export.js'

export { DATE_PARTS, MISSING_DATETIME, type DatePart } from './datetime-export.js'
/** Name of the [N, features] matrix every exported model assembles from its named inputs. */
export const FEATURE_MATRIX = 'features'

/**
 * One input column of a model and the preprocessing fitted for it on the training data. The
 * graph applies it at serving time, so features are computed by the same code in both places.
 * - numeric: FLOAT [N, 1]; NaN replaced by `fill` when given (Imputer).
 * - onehot: STRING [N, 1] → one float column per category; unknown categories give all zeros.
 * - ordinal: STRING [N, 1] → the category's index as a float; unknown ones give `unknownValue`
 *   (NaN lets a tree send them down its missing-value branch).
 * - datetime: INT64 [N, 1] epoch milliseconds (UTC) → the chosen date parts as floats, computed
 *   in the graph; MISSING_DATETIME (or any value outside JavaScript's Date range) gives NaN parts.
 * `scale` standardizes after imputation (Scaler).
 */
export type ColumnSpec =
  | { kind: 'numeric'; name: string; fill?: number; scale?: Standardizer }
  | { kind: 'onehot'; name: string; categories: string[] }
  | { kind: 'ordinal'; name: string; categories: string[]; unknownValue: number }
  | {
      kind: 'datetime'
      name: string
      parts: DatePart[]
      /** One fill per part, for dates that are missing (parts are NaN without it). */
      fill?: number[]
      /** One mean and scale per part. */
      scale?: { mean: number[]; scale: number[] }
    }

/** Standard scaling (x - mean) / scale; a zero scale (a constant column) counts as 1. */
export interface Standardizer {
  mean: number
  scale: number
}

/** Number of feature-matrix columns a column spec produces. */
export function columnWidth(column: ColumnSpec): number {
  if (column.kind === 'onehot') return column.categories.length
  if (column.kind === 'datetime') return column.parts.length
  return 1
}

function checkCategories(column: { name: string; categories: string[] }): void {
  if (column.categories.length === 0) {
    throw new InvalidParameterError(`column '${column.name}' has no categories`)
  }
  if (new Set(column.categories).size !== column.categories.length) {
    throw new InvalidParameterError(`column '${column.name}' lists a category twice`)
  }
}

/** Emits Imputer: NaN in `input` becomes `fill` (one fill value per column of `input`). */
export function addImputer(
  builder: OnnxGraphBuilder,
  input: string,
  output: string,
  fill: readonly number[],
): void {
  builder.node({
    opType: 'Imputer',
    domain: ML_DOMAIN,
    inputs: [input],
    outputs: [output],
    attributes: {
      imputed_value_floats: attr.floats(fill),
      replaced_value_float: attr.float(Number.NaN),
    },
  })
}

/** Emits Scaler computing (x - mean) / scale per column; a zero scale counts as 1. */
export function addScaler(
  builder: OnnxGraphBuilder,
  input: string,
  output: string,
  mean: readonly number[],
  scale: readonly number[],
): void {
  builder.node({
    opType: 'Scaler',
    domain: ML_DOMAIN,
    inputs: [input],
    outputs: [output],
    // Scaler computes (x - offset) * scale.
    attributes: {
      offset: attr.floats(mean),
      scale: attr.floats(scale.map((s) => (s === 0 ? 1 : 1 / s))),
    },
  })
}

function addDatetimeColumn(
  builder: OnnxGraphBuilder,
  column: Extract<ColumnSpec, { kind: 'datetime' }>,
): string {
  const width = column.parts.length
  if (width === 0) throw new InvalidParameterError(`column '${column.name}' has no date parts`)
  for (const [key, values] of [
    ['fill', column.fill],
    ['scale.mean', column.scale?.mean],
    ['scale.scale', column.scale?.scale],
  ] as const) {
    if (values !== undefined && values.length !== width) {
      throw new InvalidParameterError(
        `column '${column.name}': ${key} has ${values.length} values for ${width} date parts`,
      )
    }
  }
  builder.input(column.name, 'int64', ['N', 1])
  let value = addDatetimeParts(builder, column.name, `${column.name}_parts`, column.parts)
  if (column.fill !== undefined) {
    addImputer(builder, value, `${column.name}_imputed`, column.fill)
    value = `${column.name}_imputed`
  }
  if (column.scale !== undefined) {
    addScaler(builder, value, `${column.name}_scaled`, column.scale.mean, column.scale.scale)
    value = `${column.name}_scaled`
  }
  return value
}

/** Emits OneHotEncoder (+ Reshape to [N, K]) for a STRING [N, 1] input; unknown → all zeros. */
export function addOneHotEncoder(
  builder: OnnxGraphBuilder,
  input: string,
  output: string,
  categories: readonly string[],
): void {
  const encoded = `${output}_nk1`
  builder.node({
    opType: 'OneHotEncoder',
    domain: ML_DOMAIN,
    inputs: [input],
    outputs: [encoded],
    attributes: { cats_strings: attr.strings(categories), zeros: attr.int(1) },
  })
  // OneHotEncoder appends the category axis: [N, 1] → [N, 1, K].
  const shape = `${output}_shape`
  builder.initializer({
    name: shape,
    elemType: 'int64',
    dims: [2],
    values: [-1, categories.length],
  })
  builder.node({ opType: 'Reshape', inputs: [encoded, shape], outputs: [output] })
}

/** Emits LabelEncoder for a STRING [N, 1] input: category i → i, unknown → `unknownValue`. */
export function addOrdinalEncoder(
  builder: OnnxGraphBuilder,
  input: string,
  output: string,
  categories: readonly string[],
  unknownValue: number,
): void {
  builder.node({
    opType: 'LabelEncoder',
    domain: ML_DOMAIN,
    inputs: [input],
    outputs: [output],
    attributes: {
      keys_strings: attr.strings(categories),
      values_floats: attr.floats(categories.map((_, i) => i)),
      default_float: attr.float(unknownValue),
    },
  })
}

/**
 * Declares one named input per column, applies each column's preprocessing and concatenates
 * the results (axis 1) into the [N, width] float feature matrix. Returns its value name.
 */
export function addColumnInputs(
  builder: OnnxGraphBuilder,
  columns: readonly ColumnSpec[],
  output: string = FEATURE_MATRIX,
): string {
  if (columns.length === 0) throw new InvalidParameterError('columns must not be empty')
  const parts: string[] = []
  for (const column of columns) {
    if (column.kind === 'numeric') {
      builder.input(column.name, 'float', ['N', 1])
      let value = column.name
      if (column.fill !== undefined) {
        addImputer(builder, value, `${column.name}_imputed`, [column.fill])
        value = `${column.name}_imputed`
      }
      if (column.scale !== undefined) {
        addScaler(
          builder,
          value,
          `${column.name}_scaled`,
          [column.scale.mean],
          [column.scale.scale],
        )
        value = `${column.name}_scaled`
      }
      parts.push(value)
      continue
    }
    if (column.kind === 'datetime') {
      parts.push(addDatetimeColumn(builder, column))
      continue
    }
    checkCategories(column)
    builder.input(column.name, 'string', ['N', 1])
    const encoded = `${column.name}_${column.kind}`
    if (column.kind === 'onehot') addOneHotEncoder(builder, column.name, encoded, column.categories)
    else addOrdinalEncoder(builder, column.name, encoded, column.categories, column.unknownValue)
    parts.push(encoded)
  }
  builder.node({
    opType: 'Concat',
    inputs: parts,
    outputs: [output],
    attributes: { axis: attr.int(1) },
  })
  return output
}
