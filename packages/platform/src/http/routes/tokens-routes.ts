import { z } from 'zod'
import type { TokenInfo } from '../../governance/token-service.js'
import { defineRoute, type AnyRoute } from '../route.js'

/** Wire form of a token: snake_case like the rest of the HTTP API; times in epoch milliseconds. */
function tokenToWire(token: TokenInfo) {
  return {
    token_id: token.tokenId,
    name: token.name,
    role: token.role,
    created_at: token.createdAt,
    last_used_at: token.lastUsedAt,
    revoked_at: token.revokedAt,
  }
}

// Types only: the token service checks the values and names the bad one.
const CREATE_TOKEN_BODY = z.object({ name: z.string(), role: z.string() }).strict()

/** Access tokens (admin only), and who the caller is (any role). */
export const TOKENS_ROUTES: readonly AnyRoute[] = [
  /**
   * Creates a token. 201 Created with `{token, token_id, name, role, created_at}`: `token` is the
   * secret, returned this once and never stored.
   */
  defineRoute({
    method: 'POST',
    path: '/api/v1/tokens',
    permission: 'admin',
    body: CREATE_TOKEN_BODY,
    handler: async ({ body, services, actor, c }) => {
      const created = await services.tokens.createToken(body, actor.name)
      return c.json(
        {
          token: created.token,
          token_id: created.tokenId,
          name: created.name,
          role: created.role,
          created_at: created.createdAt,
        },
        201,
      )
    },
  }),

  /** `{tokens: [...]}`, revoked ones included (with `revoked_at`); never a secret or its hash. */
  defineRoute({
    method: 'GET',
    path: '/api/v1/tokens',
    permission: 'admin',
    handler: async ({ services }) => ({
      tokens: (await services.tokens.listTokens()).map(tokenToWire),
    }),
  }),

  /** Revokes by name or token id; `{token}` with its `revoked_at`. Revoking twice is not an error. */
  defineRoute({
    method: 'DELETE',
    path: '/api/v1/tokens/:name',
    permission: 'admin',
    handler: async ({ params, services, actor }) => ({
      token: tokenToWire(await services.tokens.revokeToken(params.name!, actor.name)),
    }),
  }),

  /** The caller as the server sees it: `{kind, name, role}`. */
  defineRoute({
    method: 'GET',
    path: '/api/v1/whoami',
    permission: 'viewer',
    handler: async ({ actor }) => ({ kind: actor.kind, name: actor.name, role: actor.role }),
  }),
]
