import { AppError } from '@ballast/contracts'
import type { Context, MiddlewareHandler } from 'hono'

export interface BodyLimitOptions {
  /** Largest body accepted, in bytes. */
  maxBytes: number
  /** The setting that holds the limit, named in the error (`server.bodyLimitBytes`). */
  setting: string
}

/**
 * Rejects a request body larger than `maxBytes` with 413 REQUEST_LIMIT_EXCEEDED. A declared
 * Content-Length is checked before anything is read; the bytes are counted as they stream too,
 * because a chunked body declares no length (and a declared one is not trusted). The body is never
 * buffered here, so artifact uploads stream straight through to the handler.
 */
export function bodyLimit(options: BodyLimitOptions): MiddlewareHandler {
  const { maxBytes, setting } = options
  const tooLarge = (c: Context) => {
    // The rest of an oversized body is not worth reading: end the connection after the answer.
    c.header('Connection', 'close')
    return new AppError(
      'REQUEST_LIMIT_EXCEEDED',
      `request body exceeds the limit of ${maxBytes} bytes (${setting})`,
    )
  }
  return async function bodyLimitMiddleware(c, next) {
    const body = c.req.raw.body
    if (body === null) return next()
    const declared = Number(c.req.header('content-length'))
    if (Number.isFinite(declared) && declared > maxBytes) throw tooLarge(c)
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
