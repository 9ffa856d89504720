import { InvalidParameterError } from '@ballast/contracts'
import { ML_DOMAIN, attr } from './onnx-builder.js'
import type { OnnxGraphBuilder } from './onnx-builder.js'
/** Name of the [N, features] matrix every exported model assembles from its named inputs. */
export const FEATURE_MATRIX = 'features'

/**
 * One input column of a model and the preprocessing fitted for it on the training data. The
 * graph applies it at serving time, so features are computed by the same code in both places.
 * - numeric: FLOAT [N, 1]; NaN replaced by `fill` when given (Imputer).
 * - onehot: STRING [N, 1] → one float column per category; unknown categories give all zeros.
 * - ordinal: STRING [N, 1] → the category's index as a float; unknown ones give `unknownValue`
 *   (NaN lets a tree send them down its missing-value branch).
 */
export type ColumnSpec =
  | { kind: 'numeric'; name: string; fill?: number }
  | { kind: 'onehot'; name: string; categories: string[] }
  | { kind: 'ordinal'; name: string; categories: string[]; unknownValue: number }

/** Number of feature-matrix columns a column spec produces. */
export function columnWidth(column: ColumnSpec): number {
  return column.kind === 'onehot' ? column.categories.length : 1
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
      if (column.fill === undefined) {
        parts.push(column.name)
      } else {
        addImputer(builder, column.name, `${column.name}_imputed`, [column.fill])
        parts.push(`${column.name}_imputed`)
      }
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
