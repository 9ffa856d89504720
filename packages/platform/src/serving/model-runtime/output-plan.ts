import { InvalidParameterError } from '@ballast/contracts'
import type * as ort from 'onnxruntime-node'
import type { ModelOutputSpec, RecordPrediction, V2Tensor } from '../serving-types.js'
import { V2_OF_ORT, toShape } from './input-plan.js'

type Meta = ort.InferenceSession.ValueMetadata & { isTensor: true }

/** The tensor outputs onnxruntime can return (ZipMap's sequences of maps are not among them). */
export function outputSpecs(metadata: readonly ort.InferenceSession.ValueMetadata[]): {
  specs: ModelOutputSpec[]
  metas: Meta[]
} {
  const metas = metadata.filter((m): m is Meta => m.isTensor && V2_OF_ORT[m.type] !== undefined)
  const specs = metas.map((m) => ({
    name: m.name,
    datatype: V2_OF_ORT[m.type]!,
    shape: toShape(m.shape),
  }))
  return { specs, metas }
}

/** How `predictRecords` reads a run's outputs into one prediction per record. */
export interface RecordReader {
  /** The outputs to fetch. */
  readonly fetches: readonly string[]
  read(results: ort.InferenceSession.ReturnType, rows: number): RecordPrediction[]
}

const isFloat = (m: Meta) => m.type === 'float32' || m.type === 'float64'

/**
 * Classifiers: the label output and the probability output ([N, K], one column per class).
 * Ballast's graphs give the label as an index into `classes` (strings); imported ones give the
 * class itself (ZipMap's int64 or string labels). Everything else: the first output, one value
 * per record.
 */
export function recordReader(
  model: string,
  metas: readonly Meta[],
  classes: readonly (string | number)[] | null,
): RecordReader {
  if (classes !== null && classes.length > 0) {
    const K = classes.length
    const keys = classes.map(String)
    const probabilities =
      metas.find((m) => m.name === 'probabilities' && isFloat(m)) ??
      metas.find((m) => isFloat(m) && m.shape.length === 2 && m.shape[1] === K)
    const label =
      metas.find((m) => m.name === 'label' && !isFloat(m)) ??
      metas.find((m) => !isFloat(m) && m.shape.length <= 2)
    if (probabilities === undefined && label === undefined) {
      throw new InvalidParameterError(
        `model ${model}: a classifier of ${K} classes needs a label output or a probability output of [N, ${K}]`,
      )
    }
    const labelIsIndex =
      label !== undefined && label.type !== 'string' && classes.every((c) => typeof c === 'string')
    const byValue = new Map(classes.map((c) => [String(c), c]))
    const fetches = [label?.name, probabilities?.name].filter((n): n is string => n !== undefined)
    return {
      fetches,
      read(results, rows) {
        const probs = probabilities && (results[probabilities.name]!.data as ArrayLike<number>)
        const labels = label && results[label.name]!.data
        const out: RecordPrediction[] = new Array(rows)
        for (let i = 0; i < rows; i++) {
          let prediction: string | number
          if (labels !== undefined) {
            const raw = (labels as ArrayLike<unknown>)[i]
            if (labelIsIndex) prediction = classes[Number(raw)] ?? Number(raw)
            else {
              const text = typeof raw === 'bigint' ? `${raw}` : String(raw)
              prediction = byValue.get(text) ?? (typeof raw === 'string' ? raw : Number(raw))
            }
          } else {
            let best = 0
            for (let k = 1; k < K; k++) if (probs![i * K + k]! > probs![i * K + best]!) best = k
            prediction = classes[best]!
          }
          if (probs === undefined) {
            out[i] = { prediction }
            continue
          }
          const byClass: Record<string, number> = {}
          for (let k = 0; k < K; k++) byClass[keys[k]!] = probs[i * K + k]!
          out[i] = { prediction, probabilities: byClass }
        }
        return out
      },
    }
  }
  const value = metas.find((m) => m.name === 'prediction') ?? metas[0]
  if (value === undefined) {
    throw new InvalidParameterError(`model ${model}: the graph has no tensor output`)
  }
  return {
    fetches: [value.name],
    read(results, rows) {
      const tensor = results[value.name]!
      const data = tensor.data as ArrayLike<unknown>
      if (data.length !== rows) {
        throw new InvalidParameterError(
          `model ${model}: output '${value.name}' holds ${data.length / rows} values per record; ` +
            'use the V2 inference protocol for it',
        )
      }
      const out: RecordPrediction[] = new Array(rows)
      for (let i = 0; i < rows; i++) {
        const v = data[i]
        out[i] = { prediction: typeof v === 'string' ? v : Number(v) }
      }
      return out
    },
  }
}

/** An onnxruntime output as a V2 tensor: int64 as numbers, bool as booleans. */
export function toV2Tensor(spec: ModelOutputSpec, tensor: ort.Tensor): V2Tensor {
  const raw = tensor.data
  let data: (number | string | boolean)[]
  if (tensor.type === 'string') data = raw as string[]
  else if (tensor.type === 'bool') data = Array.from(raw as Uint8Array, (v) => v !== 0)
  else if (raw instanceof BigInt64Array || raw instanceof BigUint64Array)
    data = Array.from(raw, Number)
  else data = Array.from(raw as ArrayLike<number>)
  return { name: spec.name, shape: [...tensor.dims], datatype: spec.datatype, data }
}
