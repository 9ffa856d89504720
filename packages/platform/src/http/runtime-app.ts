import type { Hono } from 'hono'
import type { HttpMetrics } from '../observability/http-metrics.js'
import type { Runtime } from '../runtime/open-runtime.js'
import { createApp, type AppEnv } from './app.js'
import type { AnyRoute } from './route.js'

export interface RuntimeAppOptions {
  /** Overrides `config.auth.enabled`. */
  authEnabled?: boolean
  /** Routes to serve; every route of Ballast by default. */
  routes?: readonly AnyRoute[]
  /** See `AppOptions`. */
  metrics?: HttpMetrics
  ready?: () => Promise<void>
}

/** The HTTP app over a runtime, with the configuration's body limits and auth setting. */
export function createRuntimeApp(runtime: Runtime, options: RuntimeAppOptions = {}): Hono<AppEnv> {
  const { server, auth } = runtime.config
  return createApp({
    services: runtime.services,
    logger: runtime.logger,
    auth: { enabled: options.authEnabled ?? auth.enabled },
    bodyLimitBytes: server.bodyLimitBytes,
    artifactBodyLimitBytes: server.artifactBodyLimitBytes,
    ...(options.routes === undefined ? {} : { routes: options.routes }),
    ...(options.metrics === undefined ? {} : { metrics: options.metrics }),
    ...(options.ready === undefined ? {} : { ready: options.ready }),
  })
}
