import type { IncomingMessage } from 'node:http'
import { AppError } from '@ballast/contracts'
import type { Context } from 'hono'
import type { z } from 'zod'
import { type BodyLimitOptions, bodyTooLarge } from './middleware/body-limit.js'

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

// fetch's `text()` decodes the same way: UTF-8, a leading byte-order mark dropped.
const UTF8 = new TextDecoder()

/**
 * The body's bytes, refused with 413 past `limit`. Served by Node, they are read straight from
 * the socket's stream: a Request's web streams cost as much as parsing a 1000-point log-batch.
 */
async function readBodyBytes(c: Context, limit: BodyLimitOptions): Promise<Uint8Array> {
  const incoming = (c.env as { incoming?: IncomingMessage } | undefined)?.incoming
  const chunks: Uint8Array[] = []
  let seen = 0
  if (incoming !== undefined) {
    await new Promise<void>((resolve, reject) => {
      const onData = (chunk: Buffer) => {
        seen += chunk.byteLength
        if (seen > limit.maxBytes) {
          incoming.off('data', onData)
          incoming.pause()
          reject(bodyTooLarge(c, limit))
        } else chunks.push(chunk)
      }
      incoming.on('data', onData)
      incoming.once('end', resolve)
      incoming.once('error', reject)
      incoming.once('close', () => {
        if (!incoming.complete)
          reject(new Error('the connection closed before the request body ended'))
      })
    })
  } else if (c.req.raw.body !== null) {
    for await (const chunk of c.req.raw.body) {
      seen += chunk.byteLength
      if (seen > limit.maxBytes) throw bodyTooLarge(c, limit)
      chunks.push(chunk)
    }
  }
  return chunks.length === 1 ? (chunks[0] as Uint8Array) : Buffer.concat(chunks)
}

/** Reads a JSON body. An empty body is `{}` (MLflow clients send none on some POSTs). */
export async function readJsonBody(c: Context, limit: BodyLimitOptions): Promise<unknown> {
  const text = UTF8.decode(await readBodyBytes(c, limit))
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
