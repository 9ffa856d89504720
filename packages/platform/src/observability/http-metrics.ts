import { Counter, Histogram, Registry, collectDefaultMetrics } from 'prom-client'

type HttpLabel = 'method' | 'route' | 'status'

export interface HttpMetrics {
  /** The registry `/metrics` serves: this app's HTTP metrics plus the process metrics. */
  readonly registry: Registry
  /** Records one answered request. `route` is the matched route pattern, never the raw URL. */
  observe(labels: { method: string; route: string; status: number }, durationSeconds: number): void
}

/** Seconds; from fast metadata reads up to long artifact uploads. */
const DURATION_BUCKETS = [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60]

/**
 * A registry of its own per app (never prom-client's global one), so that tests and several apps
 * in one process never collide over metric names.
 */
export function createHttpMetrics(): HttpMetrics {
  const registry = new Registry()
  collectDefaultMetrics({ register: registry })
  const requests = new Counter<HttpLabel>({
    name: 'ballast_http_requests_total',
    help: 'HTTP requests answered, by method, matched route pattern and status.',
    labelNames: ['method', 'route', 'status'],
    registers: [registry],
  })
  const duration = new Histogram<HttpLabel>({
    name: 'ballast_http_request_duration_seconds',
    help: 'Time to answer an HTTP request, by method, matched route pattern and status.',
    labelNames: ['method', 'route', 'status'],
    buckets: DURATION_BUCKETS,
    registers: [registry],
  })
  return {
    registry,
    observe(labels, durationSeconds) {
      const values = { method: labels.method, route: labels.route, status: String(labels.status) }
      requests.inc(values)
      duration.observe(values, durationSeconds)
    },
  }
}
