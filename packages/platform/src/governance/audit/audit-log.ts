import { createHash } from 'node:crypto'
import type { Kysely, Transaction } from 'kysely'
import type { DatabaseSchema } from '../../storage/index.js'

/** The hash the first entry chains to. */
export const GENESIS_HASH = '0'.repeat(64)

/** Who a change is recorded as when its caller named nobody (a caller that predates auditing). */
export const UNATTRIBUTED_ACTOR = 'system:unattributed'

/** What a change records. */
export interface AuditInput {
  /** Who: a token's name, `anonymous`, or `system:<automation>`. */
  actor: string
  /** `<context>.<verb>`, e.g. `deployment.promote`, `model.alias.set`. */
  action: string
  /** `<kind>:<name>`, e.g. `deployment:flights`, `model:flights/3`. */
  target: string
  /** The target's state before and after (any JSON value); digested, not stored. */
  before?: unknown
  after?: unknown
  /** Why, or anything a reader wants (JSON). */
  detail?: Record<string, unknown>
  /** Epoch ms; now by default. */
  time?: number
}

export interface AuditEntry {
  seq: number
  time: number
  actor: string
  action: string
  target: string
  beforeDigest: string | null
  afterDigest: string | null
  detail: Record<string, unknown> | null
  prevHash: string
  hash: string
}

/** JSON with object keys sorted at every depth: one text per value, whatever the key order. */
export function canonicalJson(value: unknown): string {
  return JSON.stringify(value, (_key, v: unknown) => {
    if (v === null || typeof v !== 'object' || Array.isArray(v)) return v
    return Object.fromEntries(
      Object.entries(v as Record<string, unknown>).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)),
    )
  })
}

const sha256 = (text: string) => createHash('sha256').update(text).digest('hex')

/** The digest of a state; null for no state (before a create, after a delete). */
export function stateDigest(state: unknown): string | null {
  return state === undefined || state === null ? null : sha256(canonicalJson(state))
}

/** The hash of an entry: SHA-256 over the previous hash and every field, as canonical JSON. */
export function entryHash(entry: Omit<AuditEntry, 'hash'>): string {
  return sha256(
    canonicalJson([
      entry.prevHash,
      entry.seq,
      entry.time,
      entry.actor,
      entry.action,
      entry.target,
      entry.beforeDigest,
      entry.afterDigest,
      entry.detail,
    ]),
  )
}

/**
 * Appends an entry inside the caller's transaction (the one that makes the change), so the change
 * and its record commit or roll back together. Bumping the head first serializes appenders.
 */
export async function appendAudit(
  trx: Transaction<DatabaseSchema> | Kysely<DatabaseSchema>,
  input: AuditInput,
): Promise<AuditEntry> {
  const head = await trx
    .updateTable('audit_head')
    .set((eb) => ({ seq: eb('seq', '+', 1) }))
    .where('id', '=', 1)
    .returning(['seq', 'hash'])
    .executeTakeFirstOrThrow()
  const unhashed: Omit<AuditEntry, 'hash'> = {
    seq: Number(head.seq),
    time: input.time ?? Date.now(),
    actor: input.actor,
    action: input.action,
    target: input.target,
    beforeDigest: stateDigest(input.before),
    afterDigest: stateDigest(input.after),
    // Hashed as it will read back: what JSON drops (undefined fields) is dropped before hashing.
    detail:
      input.detail === undefined
        ? null
        : (JSON.parse(canonicalJson(input.detail)) as Record<string, unknown>),
    prevHash: head.hash,
  }
  const entry: AuditEntry = { ...unhashed, hash: entryHash(unhashed) }
  await trx
    .insertInto('audit_log')
    .values({
      seq: entry.seq,
      time: entry.time,
      actor: entry.actor,
      action: entry.action,
      target: entry.target,
      before_digest: entry.beforeDigest,
      after_digest: entry.afterDigest,
      detail: entry.detail === null ? null : canonicalJson(entry.detail),
      prev_hash: entry.prevHash,
      hash: entry.hash,
    })
    .execute()
  await trx.updateTable('audit_head').set({ hash: entry.hash }).where('id', '=', 1).execute()
  return entry
}
