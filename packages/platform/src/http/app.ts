import { AppError, isAppError } from '@ballast/contracts'
import { Hono, type MiddlewareHandler } from 'hono'
import type { Logger } from 'pino'
import { ANONYMOUS_VISITOR, roleAtLeast, type Actor } from '../governance/actor.js'
import { registerMonitorGauges } from '../monitoring/index.js'
import { createHttpMetrics, type HttpMetrics } from '../observability/http-metrics.js'
import { checkReadiness, type ReadinessResult } from '../observability/readiness.js'
import type { Services } from '../runtime/services.js'
import { errorResponse } from './error-handler.js'
import { accessLog } from './middleware/access-log.js'
import { auth } from './middleware/auth.js'
import { bodyLimit, declaredBodyLimit } from './middleware/body-limit.js'
import { httpMetrics } from './middleware/http-metrics.js'
import { requestId } from './middleware/request-id.js'
import { parseWith, queryToObject, readJsonBody } from './parse-request.js'
import type { AnyRoute, HttpMethod } from './route.js'
import { ALL_ROUTES } from './routes/index.js'

/** The configuration defaults (`server.bodyLimitBytes`, `server.artifactBodyLimitBytes`). */
export const DEFAULT_BODY_LIMITS: BodyLimits = {
  bodyLimitBytes: 32 * 1024 * 1024,
  artifactBodyLimitBytes: 5 * 1024 * 1024 * 1024,
}

/** The challenge MLflow clients and browsers answer with Basic credentials (token as password). */
export const WWW_AUTHENTICATE = 'Basic realm="ballast"'

export interface BodyLimits {
  /** JSON bodies. */
  bodyLimitBytes: number
  /** Routes with `rawBody: true` (artifact uploads). */
  artifactBodyLimitBytes: number
}

export interface AppOptions extends Partial<BodyLimits> {
  services: Services
  /** Access log and unhandled errors; nothing is logged without one. */
  logger?: Logger
  /** Off by default: every request then acts as the anonymous admin. */
  auth?: { enabled: boolean }
  /** Routes to serve; defaults to every route of Ballast. */
  routes?: readonly AnyRoute[]
  /** What `/health/ready` checks; by default that the metadata store answers `ping()`. */
  ready?: () => Promise<void>
  /** The metrics `/metrics` serves, when others (serving) register theirs in its registry too. */
  metrics?: HttpMetrics
}

export type AppEnv = {
  Variables: {
    actor: Actor
    requestId: string
    /** This app's metrics; `/metrics` serves their registry. */
    httpMetrics: HttpMetrics
    /** Runs the readiness check with its deadline; `/health/ready` answers from it. */
    readiness: () => Promise<ReadinessResult>
  }
}

/**
 * The permission check every route gets: the route knows what it needs, the auth middleware has
 * set who is asking. Without an auth middleware nobody is set, and every non-public route refuses:
 * failing closed is the safe default.
 */
function requirePermission(route: AnyRoute): MiddlewareHandler<AppEnv> {
  return async function permissionCheck(c, next) {
    const needed = route.permission
    if (needed !== 'public') {
      const actor = c.get('actor') as Actor | undefined
      if (actor === undefined) {
        throw new AppError(
          'UNAUTHENTICATED',
          'authentication required: send "Authorization: Bearer <token>" or HTTP Basic with the token as the password',
        )
      }
      if (!roleAtLeast(actor.role, needed)) {
        throw new AppError(
          'PERMISSION_DENIED',
          `${c.req.method} ${route.path} requires the ${needed} role; '${actor.name}' has the ${actor.role} role`,
        )
      }
    }
    await next()
  }
}

export function mountRoute(
  app: Hono<AppEnv>,
  route: AnyRoute,
  services: Services,
  limits: BodyLimits = DEFAULT_BODY_LIMITS,
): void {
  const methods: readonly HttpMethod[] =
    typeof route.method === 'string' ? [route.method] : route.method
  const jsonLimit = { maxBytes: limits.bodyLimitBytes, setting: 'server.bodyLimitBytes' }
  // A JSON body is read whole by readJsonBody, which counts its bytes; a raw body streams on.
  const limit = route.rawBody
    ? bodyLimit({
        maxBytes: limits.artifactBodyLimitBytes,
        setting: 'server.artifactBodyLimitBytes',
      })
    : declaredBodyLimit(jsonLimit)
  // Permission before the body limit: a caller without rights learns nothing about limits.
  app.on(methods as HttpMethod[], route.path, requirePermission(route), limit, async (c) => {
    const actor = (c.get('actor') as Actor | undefined) ?? ANONYMOUS_VISITOR
    const query = route.query
      ? parseWith(route.query, queryToObject(new URL(c.req.url)))
      : undefined
    let body: unknown
    if (route.body && !route.rawBody) {
      const raw = await readJsonBody(c, jsonLimit)
      body = route.fastBody?.(raw) ?? parseWith(route.body, raw)
    }
    const result = await route.handler({ body, query, params: c.req.param(), actor, services, c })
    if (result instanceof Response) return result
    return c.json(result ?? {})
  })
}

/** The HTTP app as one value; tests call `app.request(path, init)` without a socket. */
export function createApp(options: AppOptions): Hono<AppEnv> {
  const { services, logger } = options
  const limits: BodyLimits = {
    bodyLimitBytes: options.bodyLimitBytes ?? DEFAULT_BODY_LIMITS.bodyLimitBytes,
    artifactBodyLimitBytes:
      options.artifactBodyLimitBytes ?? DEFAULT_BODY_LIMITS.artifactBodyLimitBytes,
  }
  const metrics = options.metrics ?? createHttpMetrics()
  registerMonitorGauges(metrics.registry, services.monitoring.monitors)
  const ready =
    options.ready ??
    (async () => {
      try {
        await services.store.ping()
      } catch (cause) {
        throw new AppError('TEMPORARILY_UNAVAILABLE', 'metadata store did not answer ping', {
          cause,
        })
      }
    })
  const readiness = () => checkReadiness(ready, { logger })

  const app = new Hono<AppEnv>()
  app.use(requestId())
  if (logger !== undefined) app.use(accessLog({ logger }))
  app.use(httpMetrics({ metrics }))
  app.use(async function appVariables(c, next) {
    c.set('httpMetrics', metrics)
    c.set('readiness', readiness)
    await next()
  })
  app.use(
    auth({
      enabled: options.auth?.enabled ?? false,
      authenticate: (secret) => services.tokens.authenticate(secret),
    }),
  )
  for (const route of options.routes ?? ALL_ROUTES) mountRoute(app, route, services, limits)
  app.notFound((c) =>
    errorResponse(
      c,
      new AppError('ENDPOINT_NOT_FOUND', `no endpoint ${c.req.method} ${c.req.path}`),
    ),
  )
  app.onError((error, c) => {
    if (isAppError(error) && error.code === 'UNAUTHENTICATED')
      c.header('WWW-Authenticate', WWW_AUTHENTICATE)
    return errorResponse(c, error, logger)
  })
  return app
}
