import type { MlflowLogBatchRequest, MlflowMetricInput } from './runs.js'

type MlflowKeyValueInput = MlflowLogBatchRequest['params'][number]

// protobuf's int64 range, as in wire.ts.
const INT64_LIMIT = 2 ** 63

const SPECIAL_DOUBLES: Readonly<Record<string, number>> = {
  NaN: Number.NaN,
  Infinity: Number.POSITIVE_INFINITY,
  '-Infinity': Number.NEGATIVE_INFINITY,
}

type Fields = Record<string, unknown>

function isFields(value: unknown): value is Fields {
  return typeof value === 'object' && value !== null && !Array.isArray(value)
}

function isKey(value: unknown): value is string {
  return typeof value === 'string' && value !== ''
}

function isInt64(value: unknown): value is number {
  return typeof value === 'number' && Number.isInteger(value) && Math.abs(value) <= INT64_LIMIT
}

/** A repeated field: absent or null is empty, an array is read, anything else is not ours. */
function list(value: unknown): readonly unknown[] | undefined {
  if (value === undefined || value === null) return []
  return Array.isArray(value) ? value : undefined
}

function metric(raw: unknown): MlflowMetricInput | undefined {
  if (!isFields(raw) || !isKey(raw.key) || !isInt64(raw.timestamp)) return undefined
  const given = raw.value
  const value =
    typeof given === 'number'
      ? given
      : typeof given === 'string'
        ? SPECIAL_DOUBLES[given]
        : undefined
  if (value === undefined) return undefined
  const step = raw.step
  if (step === undefined || step === null) return { key: raw.key, value, timestamp: raw.timestamp }
  if (!isInt64(step)) return undefined
  return { key: raw.key, value, timestamp: raw.timestamp, step }
}

function keyValue(raw: unknown): MlflowKeyValueInput | undefined {
  if (!isFields(raw) || !isKey(raw.key)) return undefined
  const value = raw.value
  if (typeof value === 'string') return { key: raw.key, value }
  if (value === undefined || value === null) return { key: raw.key, value: '' }
  return undefined
}

function each<T>(raw: readonly unknown[], read: (item: unknown) => T | undefined): T[] | undefined {
  const out: T[] = new Array<T>(raw.length)
  for (let i = 0; i < raw.length; i++) {
    const item = read(raw[i])
    if (item === undefined) return undefined
    out[i] = item
  }
  return out
}

/**
 * The log-batch request as clients almost always send it (a `run_id`, metric values as numbers or
 * "NaN"/"Infinity"/"-Infinity", integers as numbers), read without the schema: parsing 1000
 * points through zod costs more than storing them. Returns exactly what `MlflowLogBatchRequest`
 * would, or `undefined` for anything else (a deprecated `run_uuid`, numbers as strings, a wrong
 * type), which the schema then parses, so that every refusal is worded by the schema.
 */
export function parseWellFormedLogBatch(raw: unknown): MlflowLogBatchRequest | undefined {
  if (!isFields(raw) || !isKey(raw.run_id)) return undefined
  const metricsRaw = list(raw.metrics)
  const paramsRaw = list(raw.params)
  const tagsRaw = list(raw.tags)
  if (metricsRaw === undefined || paramsRaw === undefined || tagsRaw === undefined) {
    return undefined
  }
  const metrics = each(metricsRaw, metric)
  const params = metrics && each(paramsRaw, keyValue)
  const tags = params && each(tagsRaw, keyValue)
  if (metrics === undefined || params === undefined || tags === undefined) return undefined
  return { run_id: raw.run_id, metrics, params, tags }
}
