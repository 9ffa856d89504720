import { InvalidParameterError } from '@ballast/contracts'
import { addFeatureMatrix } from './feature-inputs.js'
import type { ExportOptions } from './feature-inputs.js'
import { ML_DOMAIN, OnnxGraphBuilder, attr } from './onnx-builder.js'
import { LABEL_OUTPUT, PREDICTION_OUTPUT, PROBABILITIES_OUTPUT } from './tree-ensemble-export.js'

/**
 * A linear model as plain JSON. Regression: one row of coefficients per target. Binary
 * classification: one row, the log-odds of classes[1]. Multinomial: one row per class.
 * With `scaler`, features are standardized first as (x - mean) / scale (scikit-learn's
 * StandardScaler convention; a zero scale, from a constant column, counts as 1).
 */
export interface LinearModelJson {
  coefficients: number[][]
  intercepts: number[]
  /** Classification only: the class labels, in score order. */
  classes?: number[] | string[]
  featureNames: string[]
  scaler?: { mean: number[]; scale: number[] }
}

function validate(model: LinearModelJson, task: 'regression' | 'classification'): number {
  const width = model.featureNames.length
  if (model.coefficients.length === 0) throw new InvalidParameterError('coefficients is empty')
  model.coefficients.forEach((row, i) => {
    if (row.length !== width) {
      throw new InvalidParameterError(
        `coefficients[${i}] has ${row.length} values but there are ${width} features`,
      )
    }
  })
  if (model.intercepts.length !== model.coefficients.length) {
    throw new InvalidParameterError(
      `intercepts has ${model.intercepts.length} values, expected ${model.coefficients.length}`,
    )
  }
  for (const key of ['mean', 'scale'] as const) {
    const values = model.scaler?.[key]
    if (values !== undefined && values.length !== width) {
      throw new InvalidParameterError(
        `scaler.${key} has ${values.length} values, expected ${width}`,
      )
    }
  }
  if (task === 'regression') return model.coefficients.length
  const nClasses = model.classes?.length ?? 0
  const expectedRows = nClasses === 2 ? 1 : nClasses
  if (nClasses < 2 || model.coefficients.length !== expectedRows) {
    throw new InvalidParameterError(
      `classes has ${nClasses} labels and coefficients ${model.coefficients.length} rows; ` +
        'a classifier needs 2 labels and 1 row, or k > 2 labels and k rows',
    )
  }
  return nClasses
}

function addScaledFeatures(
  builder: OnnxGraphBuilder,
  model: LinearModelJson,
  options: ExportOptions,
): string {
  const features = addFeatureMatrix(builder, model.featureNames, options.columns)
  if (!model.scaler) return features
  builder.node({
    opType: 'Scaler',
    domain: ML_DOMAIN,
    inputs: [features],
    outputs: ['scaled_features'],
    // Scaler computes (x - offset) * scale.
    attributes: {
      offset: attr.floats(model.scaler.mean),
      scale: attr.floats(model.scaler.scale.map((s) => (s === 0 ? 1 : 1 / s))),
    },
  })
  return 'scaled_features'
}

/** LinearRegressor: output `prediction` float [N, targets]. */
export function exportLinearRegressor(
  model: LinearModelJson,
  options: ExportOptions = {},
): Uint8Array {
  const targets = validate(model, 'regression')
  const builder = new OnnxGraphBuilder()
  const features = addScaledFeatures(builder, model, options)
  builder.node({
    opType: 'LinearRegressor',
    domain: ML_DOMAIN,
    inputs: [features],
    outputs: [PREDICTION_OUTPUT],
    attributes: {
      coefficients: attr.floats(model.coefficients.flat()),
      intercepts: attr.floats(model.intercepts),
      targets: attr.int(targets),
      post_transform: attr.string('NONE'),
    },
  })
  builder.output(PREDICTION_OUTPUT, 'float', ['N', targets])
  return builder.build(defaults(options, 'linear_regressor', { task: 'regression' }))
}

/**
 * LinearClassifier: outputs `label` [N] (int64 or string, as the classes) and `probabilities`
 * float [N, classes]; LOGISTIC for binary, SOFTMAX for multinomial.
 */
export function exportLinearClassifier(
  model: LinearModelJson,
  options: ExportOptions = {},
): Uint8Array {
  const nClasses = validate(model, 'classification')
  const classes = model.classes ?? []
  const stringLabels = classes.some((c) => typeof c === 'string')
  const builder = new OnnxGraphBuilder()
  const features = addScaledFeatures(builder, model, options)
  builder.node({
    opType: 'LinearClassifier',
    domain: ML_DOMAIN,
    inputs: [features],
    outputs: [LABEL_OUTPUT, PROBABILITIES_OUTPUT],
    attributes: {
      coefficients: attr.floats(model.coefficients.flat()),
      intercepts: attr.floats(model.intercepts),
      post_transform: attr.string(nClasses === 2 ? 'LOGISTIC' : 'SOFTMAX'),
      multi_class: attr.int(0),
      ...(stringLabels
        ? { classlabels_strings: attr.strings(classes.map(String)) }
        : { classlabels_ints: attr.ints(classes as number[]) }),
    },
  })
  builder.output(LABEL_OUTPUT, stringLabels ? 'string' : 'int64', ['N'])
  builder.output(PROBABILITIES_OUTPUT, 'float', ['N', nClasses])
  const task = nClasses === 2 ? 'binary' : 'multiclass'
  return builder.build(defaults(options, 'linear_classifier', { task }))
}

function defaults(options: ExportOptions, kind: string, metadata: Record<string, string>) {
  return {
    graphName: options.graphName ?? `ballast_${kind}`,
    docString: options.docString ?? `Linear model (${kind.replace('_', ' ')}) exported by Ballast`,
    metadata: { ...metadata, ...options.metadata },
    ...(options.opsets === undefined ? {} : { opsets: options.opsets }),
  }
}
