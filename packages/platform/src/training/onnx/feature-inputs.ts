import { InvalidParameterError } from '@ballast/contracts'
import type { ModelOptions, OnnxGraphBuilder } from './onnx-builder.js'
import { addColumnInputs, columnWidth } from './preprocessing-export.js'
import type { ColumnSpec } from './preprocessing-export.js'

export interface ExportOptions extends ModelOptions {
  /** Raw input columns and their preprocessing; default: one FLOAT input per feature. */
  columns?: readonly ColumnSpec[]
}

/**
 * Builds the model's [N, featureNames.length] feature matrix from named inputs. Without
 * `columns`, each feature is its own FLOAT [N, 1] input; with them, the inputs are the raw columns
 * and their fitted preprocessing, whose outputs must add up to the model's features.
 */
export function addFeatureMatrix(
  builder: OnnxGraphBuilder,
  featureNames: readonly string[],
  columns?: readonly ColumnSpec[],
): string {
  if (columns === undefined) {
    return addColumnInputs(
      builder,
      featureNames.map((name) => ({ kind: 'numeric', name })),
    )
  }
  const width = columns.reduce((sum, c) => sum + columnWidth(c), 0)
  if (width !== featureNames.length) {
    throw new InvalidParameterError(
      `columns produce ${width} features but the model has ${featureNames.length}`,
    )
  }
  return addColumnInputs(builder, columns)
}
