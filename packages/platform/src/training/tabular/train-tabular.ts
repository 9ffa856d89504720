import { AppError, InvalidParameterError } from '@ballast/contracts'
import { LABEL_OUTPUT, PREDICTION_OUTPUT, PROBABILITIES_OUTPUT } from '../onnx/index.js'
import { crossValidate } from './cross-validate.js'
import { evaluate, prefixed } from './evaluate.js'
import { fitModel } from './fit-model.js'
import type { FitData, FitRequest } from './fit-model.js'
import { parseParams } from './params.js'
import { fitPreprocessing, transform } from './preprocess.js'
import { runSearch } from './run-search.js'
import { gather, gatherOne, randomHoldout, timeSplit } from './splits.js'
import type { Split } from './splits.js'
import { encodeTarget } from './target.js'
import type {
  ModelOutput,
  TabularModel,
  TabularPrediction,
  TabularTable,
  TrainOptions,
  TrainPhase,
  TrainRequest,
} from './types.js'

/** Thrown when the caller's AbortSignal fires; the work done so far is discarded. */
export class TrainingCancelledError extends AppError {
  constructor() {
    super('INVALID_STATE', 'training was cancelled')
    this.name = 'TrainingCancelledError'
  }
}

const EXAMPLE_ROWS = 5

function checkRequest(table: TabularTable, request: TrainRequest): string[] {
  const { task, algo, target } = request
  if (task !== 'classification' && task !== 'regression') {
    throw new InvalidParameterError(
      `'task' must be classification or regression; got ${String(task)}`,
    )
  }
  if (algo === 'logistic' && task !== 'classification') {
    throw new InvalidParameterError(`algo 'logistic' is for classification; use 'linear' or 'gbdt'`)
  }
  if (algo === 'linear' && task !== 'regression') {
    throw new InvalidParameterError(`algo 'linear' is for regression; use 'logistic' or 'gbdt'`)
  }
  if (!['gbdt', 'logistic', 'linear'].includes(algo)) {
    throw new InvalidParameterError(`'algo' must be gbdt, logistic or linear; got ${String(algo)}`)
  }
  const features = request.features ?? table.columns.map((c) => c.name).filter((n) => n !== target)
  if (features.includes(target)) {
    throw new InvalidParameterError(`features include the target column '${target}'`)
  }
  if (new Set(features).size !== features.length) {
    throw new InvalidParameterError('features name a column twice')
  }
  if (features.length === 0) throw new InvalidParameterError('features must name a column')
  return features
}

/** A raw cell for the input example: dates as ISO text, missing as null. */
function rawValue(table: TabularTable, name: string, row: number): unknown {
  const column = table.columns.find((c) => c.name === name)!
  const v = column.values[row]
  if (v === null || v === undefined || (typeof v === 'number' && Number.isNaN(v))) return null
  if (column.type === 'datetime') return new Date(v).toISOString()
  if (column.type === 'boolean') return v === 1
  return v
}

/**
 * Trains a model on a table: target encoding, split, preprocessing fitted on the training rows,
 * optional search and cross-validation, the final fit, evaluation on the test rows and ONNX
 * export with the preprocessing inside the graph.
 */
export async function trainTabular(
  table: TabularTable,
  request: TrainRequest,
  options: TrainOptions = {},
): Promise<TabularModel> {
  const { signal } = options
  const checkAbort = (): void => {
    if (signal?.aborted) throw new TrainingCancelledError()
  }
  const progress = (phase: TrainPhase, done: number, total: number, message?: string) =>
    options.onProgress?.({ phase, done, total, ...(message === undefined ? {} : { message }) })
  // Lets progress reach the caller and an abort be seen between steps.
  const pause = async (): Promise<void> => {
    await new Promise((resolve) => setImmediate(resolve))
    checkAbort()
  }

  const { task, algo } = request
  const featureNames = checkRequest(table, request)
  const { common, model: modelParams } = parseParams(algo, request.params)
  await pause()
  progress('prepare', 0, 1)
  const target = encodeTarget(table, request.target, task)
  const numClasses = target.classes?.length ?? 1
  const split = request.split ?? { kind: 'random' }
  const holdout: Split =
    split.kind === 'time'
      ? timeSplit(table, target.rows, split.column, split.testAfter)
      : randomHoldout(target.rows, common.testFraction, common.seed)
  const validationFraction =
    common.validationFraction ?? (algo === 'gbdt' || request.search ? 0.1 : 0)
  if (request.search && validationFraction === 0) {
    throw new InvalidParameterError(
      `a search scores trials on validation rows; 'validationFraction' must be > 0`,
    )
  }
  const fitSplit: Split =
    validationFraction > 0
      ? randomHoldout(holdout.train, validationFraction, common.seed + 1, 'validation')
      : { train: holdout.train, test: new Uint32Array(0) }
  const prep = fitPreprocessing(table, featureNames, holdout.train, algo, common.maxCategories)
  const matrix = transform(prep, table)
  const dataOf = (rows: Uint32Array): FitData => ({
    features: gather(matrix, rows),
    label: gatherOne(target.label, rows),
    categorical: prep.categorical,
  })
  const train = dataOf(fitSplit.train)
  const validation = fitSplit.test.length > 0 ? dataOf(fitSplit.test) : undefined
  const base: Omit<FitRequest, 'params'> = { algo, task, numClasses }
  const seedParam: Record<string, number> = algo === 'gbdt' ? { seed: common.seed } : {}
  progress('prepare', 1, 1)

  let params = { ...seedParam, ...modelParams }
  const trials = request.search
    ? await runSearch({
        search: request.search,
        base: { ...base, params },
        seed: common.seed,
        train,
        validation: validation!,
        pause,
        checkAbort,
        progress: (done, total) => progress('search', done, total),
        onTrial: async (trial) => options.onTrial?.(trial),
      })
    : null
  if (trials?.best) params = { ...params, ...trials.best }

  const cvMetrics =
    common.folds >= 2
      ? await crossValidate({
          base: { ...base, params },
          folds: common.folds,
          seed: common.seed,
          rows: holdout.train,
          dataOf,
          pause,
          checkAbort,
          progress: (done, total) => progress('cv', done, total),
        })
      : {}

  await pause()
  const fitted = fitModel(train, {
    ...base,
    params,
    ...(validation ? { validation } : {}),
    onIteration: (iteration, total) => {
      checkAbort()
      progress('train', iteration + 1, total)
    },
  })

  await pause()
  progress('evaluate', 0, 1)
  const test = dataOf(holdout.test)
  const testPredicted = fitted.predict(test.features)
  const testEval = evaluate(task, test.label, testPredicted, numClasses)
  const metrics: Record<string, number> = { ...prefixed('test_', testEval.metrics), ...cvMetrics }
  if (validation) {
    const v = evaluate(task, validation.label, fitted.predict(validation.features), numClasses)
    Object.assign(metrics, prefixed('valid_', v.metrics))
  }
  progress('evaluate', 1, 1)

  await pause()
  progress('export', 0, 1)
  const classes = target.classes
  const onnx = fitted.exportOnnx(prep.columns, prep.features, {
    target: request.target,
    algo,
    ...(classes ? { classes: JSON.stringify(classes) } : {}),
  })
  const outputs: ModelOutput[] = classes
    ? [
        { name: LABEL_OUTPUT, type: 'int64', shape: ['N'] },
        { name: PROBABILITIES_OUTPUT, type: 'float', shape: ['N', classes.length] },
      ]
    : [{ name: PREDICTION_OUTPUT, type: 'float', shape: ['N', 1] }]
  progress('export', 1, 1)

  const predict = (input: TabularTable): TabularPrediction => {
    const predicted = fitted.predict(transform(prep, input))
    if (!classes) return { values: predicted }
    const K = classes.length
    const n = predicted.length / K
    const probabilities = classes.map((_, k) => {
      const col = new Float64Array(n)
      for (let i = 0; i < n; i++) col[i] = predicted[i * K + k]!
      return col
    })
    const labels = Array.from({ length: n }, (_, i) => {
      let best = 0
      for (let k = 1; k < K; k++) if (predicted[i * K + k]! > predicted[i * K + best]!) best = k
      return classes[best]!
    })
    return { labels, probabilities }
  }

  const resolved: Record<string, string | number> = {
    ...fitted.resolved,
    ...(split.kind === 'random' ? { testFraction: common.testFraction } : {}),
    validationFraction,
    seed: common.seed,
    folds: common.folds,
    maxCategories: common.maxCategories,
    split: split.kind,
    ...(split.kind === 'time' ? { splitColumn: split.column, testAfter: split.testAfter } : {}),
  }
  return {
    task,
    algo,
    target: request.target,
    ...(classes ? { classes } : {}),
    params: resolved,
    features: prep.features,
    preprocessing: prep.columns,
    inputs: prep.inputs,
    outputs,
    onnx,
    metrics,
    curves: fitted.curves,
    evaluation: {
      ...(testEval.confusionMatrix ? { confusionMatrix: testEval.confusionMatrix } : {}),
      ...(testEval.calibration ? { calibration: testEval.calibration } : {}),
      rowsDropped: target.dropped,
      trainRows: fitSplit.train.length,
      validationRows: fitSplit.test.length,
      testRows: holdout.test.length,
      iterations: fitted.iterations,
    },
    trials: trials?.trials ?? [],
    ...(classes ? { holdout: { labels: test.label, probabilities: testPredicted } } : {}),
    inputExample: Array.from(holdout.test.slice(0, EXAMPLE_ROWS), (row) =>
      Object.fromEntries(prep.inputs.map((c) => [c.name, rawValue(table, c.name, row)])),
    ),
    predict,
  }
}
