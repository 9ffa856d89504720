import type { Context } from 'hono'
import { matchedRoutes } from 'hono/route'

/** Label for requests no route answered (404s of unknown paths): one series, not one per URL. */
export const UNMATCHED_ROUTE = 'unmatched'

const WILDCARDS = new Set(['*', '/*'])

/**
 * The route pattern (`/api/v1/tokens/:name`) that answered, for logs and metric labels; never the
 * raw URL, which would give every run id its own metric series. Called after `next()`: the route
 * index then points at the handler that answered, or at the app-wide middleware that rejected the
 * request, in which case the route it was headed for is the next non-wildcard match.
 */
export function matchedRoutePattern(c: Context): string {
  const routes = matchedRoutes(c)
  for (let i = Math.max(0, c.req.routeIndex); i < routes.length; i++) {
    const path = routes[i]?.path
    if (path !== undefined && !WILDCARDS.has(path)) return path
  }
  return UNMATCHED_ROUTE
}
