import { AppError } from '@ballast/contracts'
import type { Context, MiddlewareHandler } from 'hono'

export interface BodyLimitOptions {
  /** Largest body accepted, in bytes. */
  maxBytes: number
  /** The setting that holds the limit, named in the error (`server.bodyLimitBytes`). */
  setting: string
}

/** The 413 answer; the rest of an oversized body is not worth reading, so the connection ends. */
export function bodyTooLarge(c: Context, options: BodyLimitOptions): AppError {
  c.header('Connection', 'close')
  return new AppError(
    'REQUEST_LIMIT_EXCEEDED',
    `request body exceeds the limit of ${options.maxBytes} bytes (${options.setting})`,
  )
}

/** Refuses a declared Content-Length over the limit, before anything is read. */
export function checkDeclaredLength(c: Context, options: BodyLimitOptions): void {
  const declared = Number(c.req.header('content-length'))
  if (Number.isFinite(declared) && declared > options.maxBytes) throw bodyTooLarge(c, options)
}

/**
 * Rejects a request body larger than `maxBytes` with 413 REQUEST_LIMIT_EXCEEDED. A declared
 * Content-Length is checked before anything is read; the bytes are counted as they stream too,
 * because a chunked body declares no length (and a declared one is not trusted). The body is never
 * buffered here, so artifact uploads stream straight through to the handler.
 */
export function bodyLimit(options: BodyLimitOptions): MiddlewareHandler {
  const { maxBytes } = options
  const tooLarge = (c: Context) => bodyTooLarge(c, options)
  return async function bodyLimitMiddleware(c, next) {
    const body = c.req.raw.body
    if (body === null) return next()
    checkDeclaredLength(c, options)
    let seen = 0
    const counted = body.pipeThrough(
      new TransformStream<Uint8Array, Uint8Array>({
        transform(chunk, controller) {
          seen += chunk.byteLength
          // Errors the stream: whoever reads the body gets this error, and the error handler
          // turns it into the 413 answer.
          if (seen > maxBytes) throw tooLarge(c)
          controller.enqueue(chunk)
        },
      }),
    )
    c.req.raw = new Request(c.req.raw, { body: counted, duplex: 'half' })
    await next()
  }
}

/**
 * For routes whose JSON body `readJsonBody` reads whole and counts as it reads: only the declared
 * length is checked here, before anything is read. (GET and HEAD carry no body.)
 */
export function declaredBodyLimit(options: BodyLimitOptions): MiddlewareHandler {
  return async function declaredBodyLimitMiddleware(c, next) {
    if (c.req.method !== 'GET' && c.req.method !== 'HEAD') checkDeclaredLength(c, options)
    await next()
  }
}
