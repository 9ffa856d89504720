import { randomUUID } from 'node:crypto'
import type { MiddlewareHandler } from 'hono'

export const REQUEST_ID_HEADER = 'X-Request-Id'

/** What an incoming id may look like: short, and safe to copy into logs and headers. */
const SANE_REQUEST_ID = /^[\w.-]{1,128}$/

export type RequestIdEnv = { Variables: { requestId: string } }

export interface RequestIdOptions {
  /** Makes a new id; a random UUID by default. */
  generate?: () => string
}

/**
 * Gives every request an id: the caller's `X-Request-Id` when it is sane (a proxy's or a client's
 * id ties their logs to ours), a new one otherwise. Echoed on the response, kept in
 * `c.var.requestId`.
 */
export function requestId(options: RequestIdOptions = {}): MiddlewareHandler<RequestIdEnv> {
  const generate = options.generate ?? randomUUID
  return async function requestIdMiddleware(c, next) {
    const incoming = c.req.header(REQUEST_ID_HEADER)
    const id = incoming !== undefined && SANE_REQUEST_ID.test(incoming) ? incoming : generate()
    c.set('requestId', id)
    // Set before `next()` so that error answers carry it too.
    c.header(REQUEST_ID_HEADER, id)
    await next()
  }
}
