import type { Kysely, Selectable } from 'kysely'
import type { AuditLogTable, DatabaseSchema } from '../../storage/index.js'
import { type AuditEntry, GENESIS_HASH, entryHash } from './audit-log.js'

export interface AuditVerification {
  ok: boolean
  /** Entries checked. */
  entries: number
  /** The last entry's hash (what an external copy of the head should match). */
  head: string
  /** The first entry found wrong, and how; absent when ok. */
  problem?: {
    seq: number
    kind: 'edited' | 'deleted' | 'reordered' | 'head-mismatch'
    message: string
  }
}

const PAGE = 5_000

export function entryFromRow(row: Selectable<AuditLogTable>): AuditEntry {
  return {
    seq: Number(row.seq),
    time: Number(row.time),
    actor: row.actor,
    action: row.action,
    target: row.target,
    beforeDigest: row.before_digest,
    afterDigest: row.after_digest,
    detail: row.detail === null ? null : (JSON.parse(row.detail) as Record<string, unknown>),
    prevHash: row.prev_hash,
    hash: row.hash,
  }
}

/**
 * Walks the log in sequence order, recomputing every hash: an entry whose fields no longer give
 * its hash was edited; a gap in the sequence numbers, or a `prev_hash` that is not the previous
 * entry's hash, means entries were deleted or reordered; a head that is not the last entry means
 * entries were cut from the end.
 */
export async function verifyAudit(db: Kysely<DatabaseSchema>): Promise<AuditVerification> {
  let expectedSeq = 1
  let prevHash = GENESIS_HASH
  let entries = 0
  for (;;) {
    const rows = await db
      .selectFrom('audit_log')
      .selectAll()
      .where('seq', '>=', expectedSeq)
      .orderBy('seq')
      .limit(PAGE)
      .execute()
    for (const row of rows) {
      const entry = entryFromRow(row)
      const fail = (
        kind: NonNullable<AuditVerification['problem']>['kind'],
        message: string,
        seq = entry.seq,
      ) => ({ ok: false, entries, head: prevHash, problem: { seq, kind, message } })
      if (entry.seq !== expectedSeq) {
        // Named by the first missing number: that is the entry a reader looks for.
        return fail(
          'deleted',
          `entry ${expectedSeq}${entry.seq > expectedSeq + 1 ? `–${entry.seq - 1}` : ''} is missing: the log jumps from ${expectedSeq - 1} to ${entry.seq}`,
          expectedSeq,
        )
      }
      // The link is checked before the entry's own hash: an entry moved to another place fails
      // both, and the broken link is what says it was moved rather than edited in place.
      if (entry.prevHash !== prevHash) {
        return fail(
          'reordered',
          `entry ${entry.seq} does not follow entry ${entry.seq - 1}: it chains to another hash (reordered or replaced)`,
        )
      }
      const { hash, ...unhashed } = entry
      if (entryHash(unhashed) !== hash) {
        return fail('edited', `entry ${entry.seq} was edited: its fields no longer give its hash`)
      }
      prevHash = hash
      expectedSeq++
      entries++
    }
    if (rows.length < PAGE) break
  }
  const head = await db.selectFrom('audit_head').selectAll().where('id', '=', 1).executeTakeFirst()
  if (head !== undefined && (Number(head.seq) !== entries || head.hash !== prevHash)) {
    return {
      ok: false,
      entries,
      head: prevHash,
      problem: {
        // The first entry the head counts but the log lacks (or the head itself, when it lags).
        seq: Math.min(entries + 1, Number(head.seq)),
        kind: 'head-mismatch',
        message: `the head records ${Number(head.seq)} entries ending in ${head.hash.slice(0, 12)}…, but the log holds ${entries} ending in ${prevHash.slice(0, 12)}…: entries after ${entries} were deleted`,
      },
    }
  }
  return { ok: true, entries, head: prevHash }
}
