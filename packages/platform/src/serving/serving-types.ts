/**
 * The shapes the parts of serving share: loaded models, deployments, and prediction-log rows.
 * Each part (model runtime, deployments, prediction log, data plane) implements its side.
 */

/** Open Inference Protocol (KServe V2) tensor datatypes. */
export const V2_DATATYPES = [
  'BOOL',
  'UINT8',
  'UINT16',
  'UINT32',
  'UINT64',
  'INT8',
  'INT16',
  'INT32',
  'INT64',
  'FP16',
  'FP32',
  'FP64',
  'BYTES',
] as const
export type V2Datatype = (typeof V2_DATATYPES)[number]

/** A tensor as the V2 protocol carries it: `data` flat in row-major order. */
export interface V2Tensor {
  name: string
  shape: number[]
  datatype: V2Datatype
  data: (number | string | boolean)[]
  parameters?: Record<string, unknown>
}

/** A model input as the model's signature declares it. */
export interface ModelInputSpec {
  name: string
  /** Logical column type for column-based signatures; `tensor` for tensor-based ones. */
  type:
    | 'double'
    | 'float'
    | 'long'
    | 'integer'
    | 'boolean'
    | 'string'
    | 'datetime'
    | 'binary'
    | 'tensor'
  /** The V2 datatype the input takes on the wire. */
  datatype: V2Datatype
  /** -1 for a free dimension (the batch). */
  shape: number[]
}

export interface ModelOutputSpec {
  name: string
  datatype: V2Datatype
  shape: number[]
}

/** One record's answer. */
export interface RecordPrediction {
  /** The class label (classifiers) or the value (regressors). */
  prediction: number | string
  /** Classifiers: probability by class label. */
  probabilities?: Record<string, number>
}

/** A model version loaded into onnxruntime, ready to answer. Safe to call concurrently. */
export interface LoadedModel {
  readonly name: string
  readonly version: number
  readonly inputs: readonly ModelInputSpec[]
  readonly outputs: readonly ModelOutputSpec[]
  readonly task: string | null
  readonly classes: readonly (string | number)[] | null
  /**
   * Records (column → value) → one prediction each. Every record is checked against the
   * signature first; a problem throws InvalidParameterError naming the record index and field.
   */
  predictRecords(records: readonly Record<string, unknown>[]): Promise<RecordPrediction[]>
  /** V2 inference: tensors checked against the signature (names, datatypes, shapes), outputs named as the model's. */
  infer(inputs: readonly V2Tensor[], outputs?: readonly string[]): Promise<V2Tensor[]>
  /** Runs the input example (or a synthetic row) once so that the first real request is fast. */
  warm(): Promise<void>
  close(): Promise<void>
}

/** What a deployment serves: the primary version, and optionally a canary and a shadow. */
export interface Deployment {
  name: string
  model: string
  /** Follows an alias (picks up its moves) or is pinned to a version. */
  target: { kind: 'alias'; alias: string } | { kind: 'version'; version: number }
  version: number
  /** The version served before the last change of `version`; what rollback returns to. */
  previousVersion: number | null
  canary: { version: number; percent: number } | null
  shadow: { version: number } | null
  /** Increases with every change; servers compare it to know when to reload. */
  revision: number
  createdBy: string
  createdAt: number
  updatedAt: number
}

/** One logged prediction (or shadow prediction). */
export interface PredictionRow {
  requestId: string
  deployment: string
  model: string
  version: number
  /** Epoch milliseconds when the request arrived. */
  time: number
  latencyMs: number
  /** The record's inputs as JSON text. */
  inputs: string
  /** The prediction (and probabilities) as JSON text. */
  outputs: string
  /** True for a shadow's answer, which the caller never saw. */
  shadow: boolean
}
