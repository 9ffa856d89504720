import type { LoadedModel, PredictionRow, RecordPrediction, V2Tensor } from '../serving-types.js'

/** When a request arrived and who answered it; shared by every record of the request. */
export interface AnswerContext {
  requestId: string
  deployment: string
  model: string
  version: number
  time: number
  latencyMs: number
  shadow: boolean
}

/** The id a record is logged under (and fed back with): `<request id>-<index>`, for any count. */
export function recordRequestId(requestId: string, index: number): string {
  return `${requestId}-${index}`
}

/** One row per record, ids from `recordRequestId`. */
export function recordRows(
  answer: AnswerContext,
  records: readonly Record<string, unknown>[],
  predictions: readonly RecordPrediction[],
): PredictionRow[] {
  return records.map((record, i) => ({
    requestId: recordRequestId(answer.requestId, i),
    deployment: answer.deployment,
    model: answer.model,
    version: answer.version,
    time: answer.time,
    latencyMs: answer.latencyMs,
    inputs: JSON.stringify(record),
    outputs: JSON.stringify(predictions[i] ?? null),
    shadow: answer.shadow,
  }))
}

/**
 * V2 tensors → one record per row of the first dimension: a tensor's values for that row (a
 * scalar when the row holds one value). Tensors whose first dimension differs are kept whole.
 */
export function tensorsToRecords(tensors: readonly V2Tensor[]): Record<string, unknown>[] {
  const rows = tensors[0]?.shape[0] ?? 0
  if (!Number.isInteger(rows) || rows < 1) return []
  const records: Record<string, unknown>[] = Array.from({ length: rows }, () => ({}))
  for (const tensor of tensors) {
    const sameRows = tensor.shape[0] === rows && tensor.data.length % rows === 0
    const width = sameRows ? tensor.data.length / rows : 0
    for (let i = 0; i < rows; i++) {
      const record = records[i]!
      if (!sameRows) record[tensor.name] = tensor.data
      else if (width === 1) record[tensor.name] = tensor.data[i]
      else record[tensor.name] = tensor.data.slice(i * width, (i + 1) * width)
    }
  }
  return records
}

/** Rows for a V2 inference: inputs and outputs split per row. */
export function tensorRows(
  answer: AnswerContext,
  inputs: readonly V2Tensor[],
  outputs: readonly V2Tensor[],
): PredictionRow[] {
  const ins = tensorsToRecords(inputs)
  const outs = tensorsToRecords(outputs)
  return ins.map((record, i) => ({
    requestId: recordRequestId(answer.requestId, i),
    deployment: answer.deployment,
    model: answer.model,
    version: answer.version,
    time: answer.time,
    latencyMs: answer.latencyMs,
    inputs: JSON.stringify(record),
    outputs: JSON.stringify(outs[i] ?? null),
    shadow: answer.shadow,
  }))
}

/**
 * What a V2 answer predicted, for the metrics: the `label` output of a classifier (a class index
 * mapped to its label) or the `prediction` output of a regressor; nothing for other models.
 */
export function tensorPredictions(
  model: LoadedModel,
  outputs: readonly V2Tensor[],
): RecordPrediction[] {
  const classes = model.classes
  if (classes !== null) {
    const label = outputs.find((t) => t.name === 'label')
    if (label === undefined) return []
    return label.data.map((v) => ({
      prediction:
        typeof v === 'number' && typeof classes[0] === 'string' && classes[v] !== undefined
          ? classes[v]
          : typeof v === 'boolean'
            ? String(v)
            : v,
    }))
  }
  const values = outputs.find((t) => t.name === 'prediction')
  if (values === undefined) return []
  return values.data
    .filter((v): v is number => typeof v === 'number')
    .map((prediction) => ({ prediction }))
}
