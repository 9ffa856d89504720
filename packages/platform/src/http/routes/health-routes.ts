import type { Context } from 'hono'
import type { HttpMetrics } from '../../observability/http-metrics.js'
import type { ReadinessResult } from '../../observability/readiness.js'
import { defineRoute, type AnyRoute } from '../route.js'

/** The per-app values `createApp` puts on every request (see `AppEnv`). */
interface OperationalVariables {
  httpMetrics: HttpMetrics
  readiness: () => Promise<ReadinessResult>
}
const appVariables = (c: Context) => c.var as OperationalVariables

/**
 * Operational endpoints. The health checks are public: load balancers and orchestrators probe
 * without credentials. `/metrics` needs the viewer role, which every request has while auth is off;
 * with auth on, Prometheus scrapes with a viewer token (`authorization.credentials` in its
 * scrape config), because the metrics describe the traffic.
 */
export const HEALTH_ROUTES: readonly AnyRoute[] = [
  /** The process is up and answers HTTP. */
  defineRoute({
    method: 'GET',
    path: '/health/live',
    permission: 'public',
    handler: async () => ({ status: 'ok' }),
  }),

  /** 200 when the process can serve (the metadata store answers within 2 s), else 503. */
  defineRoute({
    method: 'GET',
    path: '/health/ready',
    permission: 'public',
    handler: async ({ c }) => {
      const result = await appVariables(c).readiness()
      if (result.ready) return { status: 'ok' }
      return c.json({ status: 'unavailable', reason: result.reason }, 503)
    },
  }),

  /** Prometheus text format. */
  defineRoute({
    method: 'GET',
    path: '/metrics',
    permission: 'viewer',
    handler: async ({ c }) => {
      const { registry } = appVariables(c).httpMetrics
      return new Response(await registry.metrics(), {
        status: 200,
        headers: { 'Content-Type': registry.contentType },
      })
    },
  }),
]
