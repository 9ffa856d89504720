import type { Context } from 'hono'
import type { z } from 'zod'
import type { Actor, Role } from '../governance/actor.js'
import type { Services } from '../runtime/services.js'

/** `public` routes need no credentials; the others need at least the role named. */
export type Permission = 'public' | Role

export type HttpMethod = 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE' | 'HEAD'

export interface RouteContext<B, Q> {
  body: B
  query: Q
  params: Record<string, string>
  actor: Actor
  services: Services
  /** The Hono context, for routes that stream (artifact upload and download). */
  c: Context
}

/**
 * A route is data: method, path, request schemas, the permission it needs and a short handler that
 * calls one service function. The handler returns a JSON-able value (sent as 200) or a Response.
 */
export interface RouteDefinition<B = unknown, Q = unknown> {
  method: HttpMethod | readonly HttpMethod[]
  /** Hono path pattern; `:name` parameters, `:path{.+}` for the rest of the path. */
  path: string
  /** Parsed from the JSON body. Omit for routes without a body or that read it as a stream. */
  body?: z.ZodType<B>
  /**
   * For hot routes: reads a well-formed body faster than `body` and gives the same value, or
   * `undefined` for any other body, which `body` then parses and words the refusal of.
   */
  fastBody?: (raw: unknown) => B | undefined
  /** Parsed from the query string: repeated keys and `key[]` become arrays. */
  query?: z.ZodType<Q>
  /** Checked in tests against what the handler returns. */
  response?: z.ZodType
  permission: Permission
  /** The handler reads the body itself (streams); the JSON body limit does not apply. */
  rawBody?: boolean
  handler(ctx: RouteContext<B, Q>): Promise<unknown>
}

export function defineRoute<B = undefined, Q = undefined>(
  route: RouteDefinition<B, Q>,
): RouteDefinition<B, Q> {
  return route
}

// Heterogeneous lists of routes; each was type-checked where it was defined.
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export type AnyRoute = RouteDefinition<any, any>
