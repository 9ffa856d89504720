import type { MiddlewareHandler } from 'hono'
import type { Logger } from 'pino'
import { matchedRoutePattern } from './matched-route.js'

type AccessLogEnv = { Variables: { requestId?: string; actor?: { readonly name: string } } }

export interface AccessLogOptions {
  logger: Logger
}

/**
 * One JSON line per answered request. Only fields chosen here are logged: never headers, the query
 * string or the body, so that credentials (Authorization, tokens) cannot reach the log.
 */
export function accessLog(options: AccessLogOptions): MiddlewareHandler<AccessLogEnv> {
  const { logger } = options
  return async function accessLogMiddleware(c, next) {
    // Checked per request (the level can change at run time); skips the route lookup and the
    // object when the line would be discarded anyway.
    if (!logger.isLevelEnabled('info')) return next()
    const started = performance.now()
    await next()
    logger.info(
      {
        requestId: c.get('requestId'),
        method: c.req.method,
        route: matchedRoutePattern(c),
        path: c.req.path,
        status: c.res.status,
        durationMs: Math.round((performance.now() - started) * 1000) / 1000,
        actor: c.get('actor')?.name,
      },
      'request',
    )
  }
}
