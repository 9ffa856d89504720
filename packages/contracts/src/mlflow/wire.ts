import { z } from 'zod'

/**
 * Building blocks for MLflow request schemas. MLflow clients write requests the way protobuf's JSON
 * mapping allows: int64 as a number or a numeric string, doubles as numbers or the strings "NaN",
 * "Infinity" and "-Infinity", null for an unset field, and (in a GET query) a repeated field given
 * once as a plain string. Unknown fields are ignored, because newer clients send newer fields.
 */

const INTEGER_TEXT = /^-?\d+$/
// protobuf's int64 range; larger values are not integers any client can mean.
const INT64_LIMIT = 2 ** 63

/** What zod reports for a missing value, so that the error names the parameter as missing. */
function typeIssue(expected: string, input: unknown) {
  const received = input === undefined ? 'undefined' : input === null ? 'null' : typeof input
  return {
    code: 'invalid_type' as const,
    expected: expected as 'number',
    input,
    message: `Invalid input: expected ${expected}, received ${received}`,
  }
}

/** A 64-bit integer, given as a JSON number or a numeric string. */
export const int64 = z.unknown().transform((raw, ctx): number => {
  const value = typeof raw === 'string' && INTEGER_TEXT.test(raw) ? Number(raw) : raw
  if (typeof value === 'number' && Number.isInteger(value) && Math.abs(value) <= INT64_LIMIT) {
    return value
  }
  ctx.issues.push(typeIssue('integer', raw))
  return z.NEVER
})

const SPECIAL_DOUBLES: Record<string, number> = {
  NaN: Number.NaN,
  Infinity: Number.POSITIVE_INFINITY,
  '-Infinity': Number.NEGATIVE_INFINITY,
}

/** A double: a JSON number, a numeric string, or "NaN" / "Infinity" / "-Infinity". */
export const double = z.unknown().transform((raw, ctx): number => {
  if (typeof raw === 'number') return raw
  if (typeof raw === 'string') {
    const special = SPECIAL_DOUBLES[raw]
    if (special !== undefined) return special
    const parsed = raw.trim() === '' ? Number.NaN : Number(raw)
    if (!Number.isNaN(parsed)) return parsed
  }
  ctx.issues.push(typeIssue('number', raw))
  return z.NEVER
})

/** A string that must be present; "" counts as absent, as in MLflow's request checks. */
export const requiredString = z.preprocess((v) => (v === '' ? undefined : v), z.string())

/** An experiment id: a string, or a number from clients older than MLflow 0.9.1. */
export const experimentId = z.preprocess(
  (v) => (typeof v === 'number' && Number.isInteger(v) ? String(v) : v === '' ? undefined : v),
  z.string(),
)

/** A repeated string field; a GET query gives a single value as a plain string. */
export const stringList = z.preprocess(
  (v) => (typeof v === 'string' ? [v] : v),
  z.array(z.string()),
)

/** A repeated experiment-id field: strings, numbers, or a single plain string from a query. */
export const experimentIdList = z.preprocess(
  (v) => (typeof v === 'string' || typeof v === 'number' ? [v] : v),
  z.array(experimentId),
)

/** A protobuf enum, given by name or by number. */
export function protoEnum<const T extends readonly [string, ...string[]]>(
  names: T,
  numbers: Record<number, T[number]>,
) {
  return z.preprocess((v) => {
    if (typeof v === 'number') return numbers[v] ?? v
    if (typeof v === 'string' && INTEGER_TEXT.test(v)) return numbers[Number(v)] ?? v
    return v
  }, z.enum(names))
}

/** Drops keys whose value is null: protobuf reads a null field as unset. */
function dropNulls(value: unknown): unknown {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return value
  let hasNull = false
  for (const key in value) {
    if ((value as Record<string, unknown>)[key] === null) {
      hasNull = true
      break
    }
  }
  if (!hasNull) return value
  const out: Record<string, unknown> = {}
  for (const [key, v] of Object.entries(value)) if (v !== null) out[key] = v
  return out
}

/** An MLflow request object: null fields are unset, unknown fields are ignored. */
export function message<S extends z.ZodRawShape>(shape: S) {
  return z.preprocess(dropNulls, z.object(shape))
}

/** Copies the deprecated `run_uuid` into `run_id` when only `run_uuid` is given. */
function aliasRunUuid(value: unknown): unknown {
  const cleaned = dropNulls(value)
  if (typeof cleaned !== 'object' || cleaned === null || Array.isArray(cleaned)) return cleaned
  const fields = cleaned as Record<string, unknown>
  if ((fields.run_id === undefined || fields.run_id === '') && fields.run_uuid !== undefined) {
    return { ...fields, run_id: fields.run_uuid }
  }
  return cleaned
}

/** An MLflow request about one run: `run_id`, or the deprecated `run_uuid`, is required. */
export function runMessage<S extends z.ZodRawShape>(shape: S) {
  return z.preprocess(aliasRunUuid, z.object({ run_id: requiredString, ...shape }))
}

/** A key/value pair as MLflow writes tags and params; a missing value is "". */
export const keyValue = message({ key: requiredString, value: z.string().default('') })
