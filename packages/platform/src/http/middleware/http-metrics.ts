import type { MiddlewareHandler } from 'hono'
import type { HttpMetrics } from '../../observability/http-metrics.js'
import { matchedRoutePattern } from './matched-route.js'

export interface HttpMetricsOptions {
  metrics: Pick<HttpMetrics, 'observe'>
}

/**
 * Counts every answered request and times it, labelled with the matched route pattern. The time
 * ends when the handler returns its Response; a streamed body (artifact download) is not included.
 */
export function httpMetrics(options: HttpMetricsOptions): MiddlewareHandler {
  const { metrics } = options
  return async function httpMetricsMiddleware(c, next) {
    const started = performance.now()
    await next()
    metrics.observe(
      { method: c.req.method, route: matchedRoutePattern(c), status: c.res.status },
      (performance.now() - started) / 1000,
    )
  }
}
