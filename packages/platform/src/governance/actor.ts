/** Roles, weakest first. A role may do what every role before it may. */
export const ROLES = ['viewer', 'editor', 'admin'] as const
export type Role = (typeof ROLES)[number]

/** Who is acting: a token's owner, anyone (auth off), or an automation inside Ballast. */
export interface Actor {
  readonly kind: 'token' | 'anonymous' | 'system'
  /** Token name, `anonymous`, or `system:<automation>`. Recorded as the author of changes. */
  readonly name: string
  readonly role: Role
}

export const ANONYMOUS_ADMIN: Actor = Object.freeze({
  kind: 'anonymous',
  name: 'anonymous',
  role: 'admin',
})

/**
 * Who calls a public route (health checks) without credentials while auth is on. Public routes
 * check no role; the weakest one is recorded in case a handler looks.
 */
export const ANONYMOUS_VISITOR: Actor = Object.freeze({
  kind: 'anonymous',
  name: 'anonymous',
  role: 'viewer',
})

export function systemActor(automation: string): Actor {
  return { kind: 'system', name: `system:${automation}`, role: 'admin' }
}

export function roleAtLeast(role: Role, needed: Role): boolean {
  return ROLES.indexOf(role) >= ROLES.indexOf(needed)
}
