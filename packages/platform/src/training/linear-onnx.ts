import { InvalidParameterError } from '@ballast/contracts'
import type { LinearModel, LogisticModel } from './linear/index.js'
import type { LinearModelJson } from './onnx/index.js'

function checkWidth(coefficients: ArrayLike<number>, featureNames: readonly string[]): void {
  if (featureNames.length !== coefficients.length) {
    throw new InvalidParameterError(
      `featureNames has ${featureNames.length} names; the model has ${coefficients.length} features`,
    )
  }
}

/**
 * A ridge model as the JSON that exportLinearRegressor takes: one target, coefficients on the
 * original features (the trainer already folded its standardization into them), no scaler.
 */
export function ridgeToLinearJson(
  model: LinearModel,
  featureNames: readonly string[],
): LinearModelJson {
  checkWidth(model.coefficients, featureNames)
  return {
    coefficients: [Array.from(model.coefficients)],
    intercepts: [model.intercept],
    featureNames: [...featureNames],
  }
}

/**
 * A logistic model as the JSON that exportLinearClassifier takes. `classes[k]` is the label of
 * class index k the model was trained on; a binary model's single row is the log-odds of
 * classes[1], a multinomial model has one row per class.
 */
export function logisticToLinearJson(
  model: LogisticModel,
  featureNames: readonly string[],
  classes: number[] | string[],
): LinearModelJson {
  const first = model.coefficients[0]
  if (first === undefined) throw new InvalidParameterError('the logistic model has no coefficients')
  checkWidth(first, featureNames)
  if (classes.length !== model.numClasses) {
    throw new InvalidParameterError(
      `classes has ${classes.length} labels; the model has ${model.numClasses} classes`,
    )
  }
  if (new Set<number | string>(classes).size !== classes.length) {
    throw new InvalidParameterError(`classes must be distinct: ${classes.join(', ')}`)
  }
  if (classes.some((c) => typeof c === 'number' && !Number.isSafeInteger(c))) {
    // LinearClassifier's numeric labels are int64.
    throw new InvalidParameterError(`numeric classes must be integers: ${classes.join(', ')}`)
  }
  return {
    coefficients: model.coefficients.map((row) => Array.from(row)),
    intercepts: Array.from(model.intercepts),
    classes: [...classes] as number[] | string[],
    featureNames: [...featureNames],
  }
}
