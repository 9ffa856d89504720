import type { CalibrationBin } from '../metrics/index.js'
import type { DatePart } from '../onnx/datetime-export.js'
import type { ColumnSpec } from '../onnx/preprocessing-export.js'

export type TabularColumnType = 'integer' | 'float' | 'boolean' | 'string' | 'datetime'

/**
 * One column of a table. Numbers, booleans (0/1) and date-times (epoch milliseconds, UTC) are a
 * Float64Array with NaN for missing; strings are an array with null for missing.
 */
export interface TabularColumn {
  name: string
  type: TabularColumnType
  values: Float64Array | (string | null)[]
}

export interface TabularTable {
  rowCount: number
  columns: TabularColumn[]
}

export type TabularTask = 'classification' | 'regression'
export type TabularAlgo = 'gbdt' | 'logistic' | 'linear'

export type SplitSpec = { kind: 'random' } | { kind: 'time'; column: string; testAfter: string }

export interface SearchSpec {
  kind: 'grid' | 'random'
  trials?: number
  /** Parameter name → `a,b,c` (list), `lo..hi` (uniform; integers when both ends are) or `log:lo..hi`. */
  space: Record<string, string>
}

export interface TrainRequest {
  target: string
  task: TabularTask
  algo: TabularAlgo
  /** Raw `name=value` strings, parsed and checked per algorithm. */
  params?: Record<string, string>
  /** Input columns; default: every column but the target. */
  features?: string[]
  split?: SplitSpec
  search?: SearchSpec
}

export type TrainPhase = 'prepare' | 'search' | 'cv' | 'train' | 'evaluate' | 'export'

export interface TrainProgress {
  phase: TrainPhase
  done: number
  total: number
  message?: string
}

export interface TrialResult {
  index: number
  /** The trial's values of the searched parameters. */
  params: Record<string, number>
  /** Validation metric name, e.g. `valid_roc_auc`. */
  metric: string
  value: number
}

export interface TrainOptions {
  onProgress?(progress: TrainProgress): void
  onTrial?(trial: TrialResult): void | Promise<void>
  signal?: AbortSignal
}

export interface ModelOutput {
  name: string
  type: 'float' | 'int64'
  shape: (number | string)[]
}

export interface TabularPrediction {
  /** Classification: the predicted class label of each row. */
  labels?: string[]
  /** Classification: one column per class, probabilities[k][i] = P(classes[k] | row i). */
  probabilities?: Float64Array[]
  /** Regression: the predicted value of each row. */
  values?: Float64Array
}

export interface TabularEvaluation {
  confusionMatrix?: number[][]
  calibration?: CalibrationBin[]
  rowsDropped: number
  trainRows: number
  validationRows: number
  testRows: number
  /** Iterations kept by early stopping (GBDT), or solver iterations (logistic). */
  iterations?: number
}

export interface TabularModel {
  task: TabularTask
  algo: TabularAlgo
  target: string
  classes?: string[]
  /** Every parameter as resolved (defaults filled in, search winners applied). */
  params: Record<string, string | number>
  /** Names of the feature-matrix columns (after preprocessing). */
  features: string[]
  /** Fitted preprocessing of each input column, as built into the graph. */
  preprocessing: ColumnSpec[]
  /** The raw input columns with their logical types: the model signature. */
  inputs: { name: string; type: TabularColumnType }[]
  outputs: ModelOutput[]
  onnx: Uint8Array
  metrics: Record<string, number>
  curves: { train_loss: number[]; valid_loss?: number[] }
  evaluation: TabularEvaluation
  trials: TrialResult[]
  /** First test rows, raw values (dates as ISO text, missing as null). */
  inputExample: Record<string, unknown>[]
  /**
   * Classifiers: the test rows' class indices and the model's n × K probabilities for them, which
   * calibrate label-free performance estimates on rows the model was not fitted on.
   */
  holdout?: { labels: Float64Array; probabilities: Float64Array }
  predict(table: TabularTable): TabularPrediction
}

export type { DatePart }
