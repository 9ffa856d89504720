import { AppError } from '@ballast/contracts'
import { Hono } from 'hono'
import type { Logger } from 'pino'
import { ANONYMOUS_ADMIN, type Actor } from '../governance/actor.js'
import type { Services } from '../runtime/services.js'
import { errorResponse } from './error-handler.js'
import { parseWith, queryToObject, readJsonBody } from './parse-request.js'
import type { AnyRoute, HttpMethod } from './route.js'
import { ALL_ROUTES } from './routes/index.js'

export interface AppOptions {
  services: Services
  logger?: Logger
  /** Routes to serve; defaults to every route of Ballast. */
  routes?: readonly AnyRoute[]
}

export type AppEnv = { Variables: { actor: Actor; requestId: string } }

export function mountRoute(app: Hono<AppEnv>, route: AnyRoute, services: Services): void {
  const methods: readonly HttpMethod[] = typeof route.method === 'string' ? [route.method] : route.method
  app.on(methods as HttpMethod[], route.path, async (c) => {
    const actor = c.get('actor') ?? ANONYMOUS_ADMIN
    const query = route.query ? parseWith(route.query, queryToObject(new URL(c.req.url))) : undefined
    const body = route.body && !route.rawBody ? parseWith(route.body, await readJsonBody(c.req.raw)) : undefined
    const result = await route.handler({ body, query, params: c.req.param(), actor, services, c })
    if (result instanceof Response) return result
    return c.json(result ?? {})
  })
}

/** The HTTP app as one value; tests call `app.request(path, init)` without a socket. */
export function createApp(options: AppOptions): Hono<AppEnv> {
  const app = new Hono<AppEnv>()
  for (const route of options.routes ?? ALL_ROUTES) mountRoute(app, route, options.services)
  app.notFound((c) =>
    errorResponse(c, new AppError('ENDPOINT_NOT_FOUND', `no endpoint ${c.req.method} ${c.req.path}`)),
  )
  app.onError((error, c) => errorResponse(c, error, options.logger))
  return app
}
