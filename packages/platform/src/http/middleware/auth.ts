import { AppError } from '@ballast/contracts'
import type { MiddlewareHandler } from 'hono'
import { ANONYMOUS_ADMIN, type Actor } from '../../governance/actor.js'

export type AuthEnv = { Variables: { actor: Actor } }

export interface AuthOptions {
  enabled: boolean
  /** The actor a token secret belongs to; undefined for an unknown or revoked token. */
  authenticate(secret: string): Promise<Actor | undefined>
}

/**
 * The secret an Authorization header carries: `Bearer <token>` (MLFLOW_TRACKING_TOKEN) or HTTP
 * Basic with the token as the password and any user name (MLFLOW_TRACKING_USERNAME/PASSWORD).
 */
export function credentialFromHeader(header: string): string | undefined {
  const match = /^\s*(\S+)\s+(\S+)\s*$/.exec(header)
  if (!match) return undefined
  const scheme = match[1]!.toLowerCase()
  const value = match[2]!
  if (scheme === 'bearer') return value
  if (scheme !== 'basic') return undefined
  const decoded = Buffer.from(value, 'base64').toString('utf8')
  const colon = decoded.indexOf(':')
  if (colon < 0) return undefined
  const password = decoded.slice(colon + 1)
  return password === '' ? undefined : password
}

/**
 * Sets `c.var.actor`. With auth off, everyone acts as the anonymous admin. With auth on, a request
 * with credentials acts as the token's owner and one with bad credentials is refused here; a
 * request without credentials gets no actor, and the route's permission check (in `mountRoute`)
 * refuses it unless the route is public.
 */
export function auth(options: AuthOptions): MiddlewareHandler<AuthEnv> {
  return async function authMiddleware(c, next) {
    if (!options.enabled) {
      c.set('actor', ANONYMOUS_ADMIN)
      return next()
    }
    const header = c.req.header('authorization')
    if (header !== undefined) {
      const secret = credentialFromHeader(header)
      if (secret === undefined) {
        throw new AppError(
          'UNAUTHENTICATED',
          'unsupported Authorization header: send "Bearer <token>" or HTTP Basic with the token as the password',
        )
      }
      const actor = await options.authenticate(secret)
      if (actor === undefined) {
        throw new AppError('UNAUTHENTICATED', 'the token is not valid or has been revoked')
      }
      c.set('actor', actor)
    }
    await next()
  }
}
