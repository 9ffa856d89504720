import type { ModelInputSpec } from '../serving-types.js'
import { parseDateTime } from './date-time.js'

/** A feed buffer of one ONNX element type. */
export type FeedBuffer =
  Float32Array | Float64Array | Int32Array | BigInt64Array | Uint8Array | string[]

/** The onnxruntime tensor element types a model input may take. */
export type FeedType = 'float32' | 'float64' | 'int32' | 'int64' | 'bool' | 'string'

/**
 * Writes one value at `offset`; returns what is wrong with the value (`expected a number, got
 * "abc"`) instead of throwing, so that the caller adds the record index and field cheaply.
 */
export type ElementWriter = (value: unknown, out: FeedBuffer, offset: number) => string | null

/** Missing datetime in Ballast's graphs (INT64 min), as onnxFeeds writes it. */
const MISSING_DATETIME = -(2n ** 63n)
/** JavaScript's Date range; beyond it a date is missing, as in training. */
const MAX_EPOCH_MS = 8_640_000_000_000_000

/** A value as a message shows it: JSON, cut short. */
export function describeValue(value: unknown): string {
  if (value === undefined) return 'nothing'
  if (typeof value === 'number' && !Number.isFinite(value)) return String(value)
  if (typeof value === 'bigint') return `${value}`
  let text: string
  try {
    // undefined for functions and symbols, which JSON cannot carry anyway.
    text = JSON.stringify(value) ?? typeof value
  } catch {
    // A cycle: only a caller in this process can build one.
    text = 'a cyclic object'
  }
  return text.length > 60 ? `${text.slice(0, 57)}...` : text
}

export function newFeedBuffer(type: FeedType, size: number): FeedBuffer {
  switch (type) {
    case 'float32':
      return new Float32Array(size)
    case 'float64':
      return new Float64Array(size)
    case 'int32':
      return new Int32Array(size)
    case 'int64':
      return new BigInt64Array(size)
    case 'bool':
      return new Uint8Array(size)
    case 'string':
      return new Array<string>(size)
  }
}

const numberError = (value: unknown): string =>
  typeof value === 'number'
    ? `expected a finite number, got ${describeValue(value)}`
    : `expected a number, got ${describeValue(value)}`

/**
 * The writer of one input: how a JSON value of the input's logical type becomes an element of
 * the graph's type. `nullable` inputs (columns of Ballast's signatures) take null as missing,
 * which the graph imputes: NaN for numbers, '' for strings, INT64 min for datetimes.
 */
export function elementWriter(
  logical: ModelInputSpec['type'],
  feed: FeedType,
  nullable: boolean,
): ElementWriter {
  if (feed === 'string') {
    return (value, out, offset) => {
      if (typeof value === 'string') (out as string[])[offset] = value
      else if (value === null && nullable) (out as string[])[offset] = ''
      else return `expected a string, got ${describeValue(value)}`
      return null
    }
  }
  if (logical === 'datetime' && feed === 'int64') {
    return (value, out, offset) => {
      let ms: number
      if (typeof value === 'number') {
        if (!Number.isFinite(value)) return numberError(value)
        ms = value
      } else if (typeof value === 'string') {
        ms = parseDateTime(value)
        if (Number.isNaN(ms)) {
          return `expected an ISO-8601 date-time or epoch milliseconds, got ${describeValue(value)}`
        }
      } else if (value === null && nullable) {
        ;(out as BigInt64Array)[offset] = MISSING_DATETIME
        return null
      } else {
        return `expected an ISO-8601 date-time or epoch milliseconds, got ${describeValue(value)}`
      }
      ;(out as BigInt64Array)[offset] =
        Math.abs(ms) <= MAX_EPOCH_MS ? BigInt(Math.floor(ms)) : MISSING_DATETIME
      return null
    }
  }
  if (feed === 'bool') {
    return (value, out, offset) => {
      if (value === true || value === 1) (out as Uint8Array)[offset] = 1
      else if (value === false || value === 0) (out as Uint8Array)[offset] = 0
      else return `expected true or false, got ${describeValue(value)}`
      return null
    }
  }
  const integral =
    logical === 'long' || logical === 'integer' || feed === 'int32' || feed === 'int64'
  const boolean = logical === 'boolean'
  const missing = nullable && (feed === 'float32' || feed === 'float64')
  return (value, out, offset) => {
    let x: number
    if (typeof value === 'number') {
      if (!Number.isFinite(value)) return numberError(value)
      if (integral && !Number.isInteger(value)) {
        return `expected an integer, got ${describeValue(value)}`
      }
      if (boolean && value !== 0 && value !== 1) {
        return `expected true or false, got ${describeValue(value)}`
      }
      x = value
    } else if (typeof value === 'boolean' && boolean) {
      x = value ? 1 : 0
    } else if (value === null && missing) {
      x = Number.NaN
    } else if (boolean) {
      return `expected true or false, got ${describeValue(value)}`
    } else {
      return integral ? `expected an integer, got ${describeValue(value)}` : numberError(value)
    }
    if (feed === 'int64') (out as BigInt64Array)[offset] = BigInt(x)
    else (out as Float32Array | Float64Array | Int32Array)[offset] = x
    return null
  }
}
