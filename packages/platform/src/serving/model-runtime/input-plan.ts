import { InvalidParameterError, type ModelSignature } from '@ballast/contracts'
import type * as ort from 'onnxruntime-node'
import type { ModelInputSpec, V2Datatype } from '../serving-types.js'
import { type ElementWriter, type FeedType, elementWriter } from './element-writers.js'

/** How one graph input is fed: its spec, element type, per-row shape and value writer. */
export interface InputPlan {
  readonly spec: ModelInputSpec
  readonly feed: FeedType
  /** Graph dimensions after the batch one; -1 where free. */
  readonly rowShape: readonly number[]
  /** Values per row when every row dimension is fixed; null when one is free. */
  readonly width: number | null
  /** Whether the graph's first dimension is the batch (free); otherwise it is fixed. */
  readonly batched: boolean
  /** Column of a column-based signature: one value per record, null = missing. */
  readonly column: boolean
  readonly write: ElementWriter
}

/** onnxruntime's element types → V2 datatypes and the feed type that carries them. */
const ORT_TYPES: Record<string, { datatype: V2Datatype; feed: FeedType } | undefined> = {
  float32: { datatype: 'FP32', feed: 'float32' },
  float64: { datatype: 'FP64', feed: 'float64' },
  int32: { datatype: 'INT32', feed: 'int32' },
  int64: { datatype: 'INT64', feed: 'int64' },
  bool: { datatype: 'BOOL', feed: 'bool' },
  string: { datatype: 'BYTES', feed: 'string' },
}

/** onnxruntime's element types → V2 datatypes, for outputs. */
export const V2_OF_ORT: Record<string, V2Datatype | undefined> = {
  float32: 'FP32',
  float64: 'FP64',
  float16: 'FP16',
  int8: 'INT8',
  int16: 'INT16',
  int32: 'INT32',
  int64: 'INT64',
  uint8: 'UINT8',
  uint16: 'UINT16',
  uint32: 'UINT32',
  uint64: 'UINT64',
  bool: 'BOOL',
  string: 'BYTES',
}

/** A symbolic or unknown dimension is any size: -1, as MLflow and V2 write it. */
export const toShape = (dims: readonly (number | string)[]): number[] =>
  dims.map((d) => (typeof d === 'number' && d >= 0 ? d : -1))

/**
 * One plan per graph input. The graph says what the input is (element type, shape); a
 * column-based signature says what the column means (a datetime, a boolean, a long).
 */
export function planInputs(
  model: string,
  metadata: readonly ort.InferenceSession.ValueMetadata[],
  signature: ModelSignature | null,
): InputPlan[] {
  const fields = new Map((signature?.inputs ?? []).map((f) => [f.name, f]))
  return metadata.map((meta) => {
    if (!meta.isTensor) {
      throw new InvalidParameterError(
        `model ${model}: input '${meta.name}' is not a tensor; only tensor inputs can be served`,
      )
    }
    const types = ORT_TYPES[meta.type]
    if (types === undefined) {
      throw new InvalidParameterError(
        `model ${model}: input '${meta.name}' takes ${meta.type} elements, which serving does not feed`,
      )
    }
    const shape = toShape(meta.shape)
    const batched = shape.length > 0 && shape[0] === -1
    const rowShape = batched ? shape.slice(1) : shape
    const width = rowShape.every((d) => d >= 0) ? rowShape.reduce((p, d) => p * d, 1) : null
    const field = fields.get(meta.name)
    const column = field !== undefined && field.type !== 'tensor' && batched && width === 1
    const logical: ModelInputSpec['type'] = column ? field.type : 'tensor'
    return {
      spec: { name: meta.name, type: logical, datatype: types.datatype, shape },
      feed: types.feed,
      rowShape,
      width,
      batched,
      column,
      write: elementWriter(logical, types.feed, column),
    }
  })
}
