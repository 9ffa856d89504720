import { type ErrorBody, isAppError } from '@ballast/contracts'
import type { Context } from 'hono'
import type { Logger } from 'pino'

/** The one place where an error becomes an HTTP answer: `{error_code, message}` with its status. */
export function errorResponse(c: Context, error: unknown, logger?: Logger): Response {
  if (isAppError(error)) {
    const body: ErrorBody = { error_code: error.code, message: error.message }
    return c.json(body, error.status as 400)
  }
  logger?.error({ err: error, path: c.req.path }, 'unhandled error')
  const body: ErrorBody = {
    error_code: 'INTERNAL_ERROR',
    message: 'internal error; see the server log',
  }
  return c.json(body, 500)
}
