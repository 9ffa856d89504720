import { InvalidParameterError } from '@ballast/contracts'
import { trainGbdt } from '../gbdt/index.js'
import type { GbdtParams } from '../gbdt/index.js'
import { gbdtToTreeEnsemble } from '../gbdt-onnx.js'
import { logisticToLinearJson, ridgeToLinearJson } from '../linear-onnx.js'
import { predictLinear, predictLogistic, trainLogistic, trainRidge } from '../linear/index.js'
import { logLoss } from '../metrics/index.js'
import { exportLinearClassifier, exportLinearRegressor, exportTreeEnsemble } from '../onnx/index.js'
import type { ColumnSpec } from '../onnx/index.js'
import type { TabularAlgo, TabularTask } from './types.js'

export interface FitData {
  features: Float64Array[]
  label: Float64Array
  categorical: boolean[]
}

export interface FittedModel {
  /** Regression: one value per row; classification: n × K class probabilities, row-major. */
  predict(features: Float64Array[]): Float64Array
  curves: { train_loss: number[]; valid_loss?: number[] }
  /** Trees kept (GBDT) or solver iterations (logistic); 0 for ridge's closed form. */
  iterations: number
  /** Model parameters with their defaults filled in. */
  resolved: Record<string, number>
  exportOnnx(
    columns: ColumnSpec[],
    features: string[],
    metadata: Record<string, string>,
  ): Uint8Array
}

export interface FitRequest {
  algo: TabularAlgo
  task: TabularTask
  /** Classification: number of classes (2 for binary). */
  numClasses: number
  params: Record<string, number>
  /** Rows for early stopping and the validation loss curve. */
  validation?: FitData
  /** Called after each GBDT iteration; may throw to stop training. */
  onIteration?(iteration: number, total: number): void
}

/** Defaults of the linear trainers, so the resolved parameters can be reported. */
const LOGISTIC_DEFAULTS = { lambda: 1e-4, maxIterations: 1000, tolerance: 1e-8 }
const RIDGE_DEFAULTS = { lambda: 1 }

const mse = (y: Float64Array, p: Float64Array): number =>
  y.reduce((s, v, i) => s + (v - p[i]!) ** 2, 0) / y.length

/** Binary P(class 1) → n × 2 probabilities, so every classifier reports the same shape. */
function twoColumns(p1: Float64Array): Float64Array {
  const out = new Float64Array(p1.length * 2)
  p1.forEach((p, i) => {
    out[2 * i] = 1 - p
    out[2 * i + 1] = p
  })
  return out
}

export function fitModel(data: FitData, request: FitRequest): FittedModel {
  const { algo, task, numClasses, validation } = request
  if (algo === 'gbdt') {
    const objective =
      task === 'regression' ? 'regression' : numClasses === 2 ? 'binary' : 'multiclass'
    const params: GbdtParams = {
      earlyStoppingRounds: validation ? 20 : 0,
      ...request.params,
      objective,
      ...(objective === 'multiclass' ? { numClass: numClasses } : {}),
    }
    const total = params.numTrees ?? 100
    const model = trainGbdt(data, params, {
      ...(validation ? { validation } : {}),
      onIteration: (it) => request.onIteration?.(it, total),
    })
    const { objective: _objective, numClass: _numClass, ...resolved } = model.json.params
    return {
      predict: (features) => {
        const p = model.predict(features)
        return objective === 'binary' ? twoColumns(p) : p
      },
      curves: {
        train_loss: model.trainLoss,
        ...(model.validLoss.length > 0 ? { valid_loss: model.validLoss } : {}),
      },
      iterations: model.bestIteration + 1,
      resolved,
      exportOnnx: (columns, features, metadata) =>
        exportTreeEnsemble(gbdtToTreeEnsemble(model.json, features), { columns, metadata }),
    }
  }
  if (algo === 'logistic') {
    const resolved = { ...LOGISTIC_DEFAULTS, ...request.params }
    const model = trainLogistic(data, resolved)
    if (model.numClasses !== numClasses) {
      throw new InvalidParameterError(
        `the training rows hold ${model.numClasses} of the ${numClasses} classes; logistic regression needs rows of every class`,
      )
    }
    const predict = (features: Float64Array[]): Float64Array => {
      const p = predictLogistic(model, features)
      return model.numClasses === 2 ? twoColumns(p) : p
    }
    const loss = (d: FitData) => logLoss(d.label, predict(d.features), numClasses)
    return {
      predict,
      curves: {
        train_loss: [loss(data)],
        ...(validation ? { valid_loss: [loss(validation)] } : {}),
      },
      iterations: model.iterations,
      resolved,
      // Labels are class indices, as the tree exporter's; the class names travel in metadata.
      exportOnnx: (columns, features, metadata) => {
        const indices = Array.from({ length: model.numClasses }, (_, k) => k)
        const json = logisticToLinearJson(model, features, indices)
        return exportLinearClassifier(json, { columns, metadata })
      },
    }
  }
  const resolved = { ...RIDGE_DEFAULTS, ...request.params }
  const model = trainRidge(data, resolved)
  const predict = (features: Float64Array[]) => predictLinear(model, features)
  return {
    predict,
    curves: {
      train_loss: [mse(data.label, predict(data.features))],
      ...(validation ? { valid_loss: [mse(validation.label, predict(validation.features))] } : {}),
    },
    iterations: 0,
    resolved,
    exportOnnx: (columns, features, metadata) =>
      exportLinearRegressor(ridgeToLinearJson(model, features), { columns, metadata }),
  }
}
