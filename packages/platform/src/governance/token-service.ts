import { createHash, randomBytes, randomUUID } from 'node:crypto'
import {
  AlreadyExistsError,
  AppError,
  InvalidParameterError,
  NotFoundError,
} from '@ballast/contracts'
import type { MetadataStore } from '../storage/index.js'
import { ROLES, type Actor, type Role } from './actor.js'
import { UNATTRIBUTED_ACTOR, appendAudit } from './audit/audit-log.js'

/** Every secret starts with this, so that a leaked one is easy to recognize (and to scan for). */
export const TOKEN_PREFIX = 'blst_'

const NAME_PATTERN = /^[A-Za-z0-9][A-Za-z0-9_.-]{0,63}$/
/** A token's last use is written at most this often, so that authenticated reads stay reads. */
const LAST_USED_RESOLUTION_MS = 60_000
const DEFAULT_CACHE_TTL_MS = 5_000
const MAX_CACHE_ENTRIES = 10_000

/** A new token. `token` is the secret: shown this once, never stored. */
export interface CreatedToken {
  token: string
  tokenId: string
  name: string
  role: Role
  createdAt: number
}

/** A stored token as listed: never its secret or hash. Times are epoch milliseconds. */
export interface TokenInfo {
  tokenId: string
  name: string
  role: Role
  createdAt: number
  lastUsedAt: number | null
  revokedAt: number | null
}

export interface TokenService {
  /** `actor` is who the audit log records as the author; unattributed when absent. */
  createToken(input: { name: string; role: string }, actor?: string): Promise<CreatedToken>
  listTokens(): Promise<TokenInfo[]>
  /** Revokes by name or id; revoking a revoked token changes nothing (and records nothing). */
  revokeToken(nameOrId: string, actor?: string): Promise<TokenInfo>
  /** The actor a secret belongs to; undefined when the token is unknown or revoked. */
  authenticate(secret: string): Promise<Actor | undefined>
}

export interface TokenServiceOptions {
  store: MetadataStore
  clock?: () => number
  /**
   * How long a verified token is trusted without asking the store; a revoke made by another
   * process takes effect within this time. At most 5 s.
   */
  cacheTtlMs?: number
}

interface CachedToken {
  actor: Actor
  tokenId: string
  expiresAt: number
}

export function hashToken(secret: string): string {
  return createHash('sha256').update(secret, 'utf8').digest('hex')
}

function isRole(value: string): value is Role {
  return (ROLES as readonly string[]).includes(value)
}

function toRole(name: string, role: string): Role {
  if (!isRole(role))
    throw new AppError('INTERNAL_ERROR', `token '${name}' has an unknown role '${role}'`)
  return role
}

export function createTokenService(options: TokenServiceOptions): TokenService {
  const { db } = options.store
  const now = options.clock ?? Date.now
  const cacheTtlMs = Math.min(options.cacheTtlMs ?? DEFAULT_CACHE_TTL_MS, DEFAULT_CACHE_TTL_MS)
  const verified = new Map<string, CachedToken>()

  const infoColumns = [
    'token_id',
    'name',
    'role',
    'created_at',
    'last_used_at',
    'revoked_at',
  ] as const
  type InfoRow = {
    token_id: string
    name: string
    role: string
    created_at: number
    last_used_at: number | null
    revoked_at: number | null
  }
  const toInfo = (row: InfoRow): TokenInfo => ({
    tokenId: row.token_id,
    name: row.name,
    role: toRole(row.name, row.role),
    createdAt: Number(row.created_at),
    lastUsedAt: row.last_used_at === null ? null : Number(row.last_used_at),
    revokedAt: row.revoked_at === null ? null : Number(row.revoked_at),
  })

  const remember = (hash: string, entry: CachedToken) => {
    // Oldest first: a Map iterates in insertion order.
    if (verified.size >= MAX_CACHE_ENTRIES) verified.delete(verified.keys().next().value!)
    verified.set(hash, entry)
  }

  return {
    async createToken(input, actor = UNATTRIBUTED_ACTOR) {
      if (typeof input.name !== 'string' || !NAME_PATTERN.test(input.name)) {
        throw new InvalidParameterError(
          `Invalid value for parameter 'name': '${String(input.name)}' must be 1-64 letters, digits, '_', '.' or '-', starting with a letter or digit`,
        )
      }
      if (typeof input.role !== 'string' || !isRole(input.role)) {
        throw new InvalidParameterError(
          `Invalid value for parameter 'role': '${String(input.role)}' must be one of ${ROLES.join(', ')}`,
        )
      }
      const token = TOKEN_PREFIX + randomBytes(32).toString('base64url')
      const created: CreatedToken = {
        token,
        tokenId: randomUUID(),
        name: input.name,
        role: input.role,
        createdAt: now(),
      }
      await db.transaction().execute(async (trx) => {
        // ON CONFLICT rather than a read first: two concurrent creates of one name cannot both win.
        const result = await trx
          .insertInto('tokens')
          .values({
            token_id: created.tokenId,
            name: created.name,
            role: created.role,
            token_hash: hashToken(token),
            created_at: created.createdAt,
            last_used_at: null,
            revoked_at: null,
          })
          .onConflict((oc) => oc.column('name').doNothing())
          .executeTakeFirst()
        if (Number(result.numInsertedOrUpdatedRows ?? 0) === 0) {
          throw new AlreadyExistsError(
            `token '${input.name}' already exists (names stay taken after a revoke)`,
          )
        }
        // Name, id and role only: the secret and its hash never reach the log.
        await appendAudit(trx, {
          actor,
          action: 'token.create',
          target: `token:${created.name}`,
          after: { tokenId: created.tokenId, name: created.name, role: created.role },
          detail: { tokenId: created.tokenId, role: created.role },
          time: created.createdAt,
        })
      })
      return created
    },

    async listTokens() {
      const rows = await db
        .selectFrom('tokens')
        .select(infoColumns)
        .orderBy('created_at')
        .orderBy('name')
        .execute()
      return rows.map(toInfo)
    },

    async revokeToken(nameOrId, actor = UNATTRIBUTED_ACTOR) {
      const row = await db
        .selectFrom('tokens')
        .select(infoColumns)
        .where((eb) => eb.or([eb('name', '=', nameOrId), eb('token_id', '=', nameOrId)]))
        .executeTakeFirst()
      if (row === undefined) throw new NotFoundError(`token '${nameOrId}' does not exist`)
      if (row.revoked_at === null) {
        const before = toInfo(row)
        row.revoked_at = now()
        const after = toInfo(row)
        await db.transaction().execute(async (trx) => {
          const revoked = await trx
            .updateTable('tokens')
            .set({ revoked_at: after.revokedAt })
            .where('token_id', '=', row.token_id)
            .where('revoked_at', 'is', null)
            .executeTakeFirst()
          // A concurrent revoke that got there first has recorded it.
          if (Number(revoked.numUpdatedRows) === 0) return
          await appendAudit(trx, {
            actor,
            action: 'token.revoke',
            target: `token:${row.name}`,
            before: { tokenId: before.tokenId, name: before.name, role: before.role },
            after: { tokenId: after.tokenId, name: after.name, role: after.role, revoked: true },
            detail: { tokenId: row.token_id },
            time: after.revokedAt ?? undefined,
          })
        })
      }
      for (const [hash, entry] of verified)
        if (entry.tokenId === row.token_id) verified.delete(hash)
      return toInfo(row)
    },

    async authenticate(secret) {
      // Not one of ours: no need to ask the store.
      if (!secret.startsWith(TOKEN_PREFIX) || secret.length > 256) return undefined
      const hash = hashToken(secret)
      const at = now()
      const cached = verified.get(hash)
      if (cached !== undefined && cached.expiresAt > at) return cached.actor
      verified.delete(hash)
      const row = await db
        .selectFrom('tokens')
        .select(['token_id', 'name', 'role', 'last_used_at'])
        .where('token_hash', '=', hash)
        .where('revoked_at', 'is', null)
        .executeTakeFirst()
      if (row === undefined) return undefined
      const lastUsed = row.last_used_at === null ? null : Number(row.last_used_at)
      if (lastUsed === null || at - lastUsed >= LAST_USED_RESOLUTION_MS) {
        await db
          .updateTable('tokens')
          .set({ last_used_at: at })
          .where('token_id', '=', row.token_id)
          .execute()
      }
      const actor: Actor = Object.freeze({
        kind: 'token',
        name: row.name,
        role: toRole(row.name, row.role),
      })
      remember(hash, { actor, tokenId: row.token_id, expiresAt: at + cacheTtlMs })
      return actor
    },
  }
}
