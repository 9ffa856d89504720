import { AppError } from '@ballast/contracts'
import type { z } from 'zod'

/**
 * Query string → object. Repeated keys and `key[]` become arrays (`experiment_ids[]=0`); a key
 * given once stays a string, and schemas that take arrays accept a single string too.
 */
export function queryToObject(url: URL): Record<string, string | string[]> {
  const out: Record<string, string | string[]> = {}
  for (const [rawKey, value] of url.searchParams) {
    const isArray = rawKey.endsWith('[]')
    const key = isArray ? rawKey.slice(0, -2) : rawKey
    const prev = out[key]
    if (prev === undefined) out[key] = isArray ? [value] : value
    else out[key] = Array.isArray(prev) ? [...prev, value] : [prev, value]
  }
  return out
}

/** Turns zod's issues into one MLflow-style message that names the parameter. */
export function describeZodError(error: z.ZodError): string {
  return error.issues
    .map((issue) => {
      const field = issue.path.map(String).join('.') || 'body'
      if (issue.code === 'invalid_type' && /received undefined/.test(issue.message)) {
        return `Missing value for required parameter '${field}'.`
      }
      if (issue.code === 'unrecognized_keys') {
        return `Unknown parameter(s) ${issue.keys.map((k) => `'${k}'`).join(', ')}.`
      }
      return `Invalid value for parameter '${field}': ${issue.message}`
    })
    .join(' ')
}

export function parseWith<T>(schema: z.ZodType<T>, value: unknown): T {
  const result = schema.safeParse(value)
  if (!result.success) throw new AppError('INVALID_PARAMETER_VALUE', describeZodError(result.error))
  return result.data
}

/** Reads a JSON body. An empty body is `{}` (MLflow clients send none on some POSTs). */
export async function readJsonBody(request: Request): Promise<unknown> {
  const text = await request.text()
  if (text.trim() === '') return {}
  try {
    return JSON.parse(text) as unknown
  } catch (cause) {
    throw new AppError(
      'BAD_REQUEST',
      `request body is not valid JSON: ${(cause as Error).message}`,
      { cause },
    )
  }
}
