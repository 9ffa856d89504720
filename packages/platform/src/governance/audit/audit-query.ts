import { InvalidParameterError } from '@ballast/contracts'
import { type Kysely, sql } from 'kysely'
import type { DatabaseSchema } from '../../storage/index.js'
import type { AuditEntry } from './audit-log.js'
import { entryFromRow } from './verify-audit.js'

export interface AuditFilter {
  /** Exactly this target, e.g. `model:flights`. */
  target?: string | undefined
  /** Every target starting with this, e.g. `model:flights` for the model and its versions. */
  targetPrefix?: string | undefined
  actor?: string | undefined
  action?: string | undefined
  /** Only entries with a larger sequence number. */
  afterSeq?: number | undefined
  limit: number
}

export const MAX_AUDIT_LIMIT = 1000

/** Audit entries matching every given filter, newest first. */
export async function listAudit(
  db: Kysely<DatabaseSchema>,
  filter: AuditFilter,
): Promise<AuditEntry[]> {
  const { limit } = filter
  if (!Number.isInteger(limit) || limit < 1 || limit > MAX_AUDIT_LIMIT) {
    throw new InvalidParameterError(
      `Invalid value for parameter 'limit': ${limit}; expected an integer from 1 to ${MAX_AUDIT_LIMIT}`,
    )
  }
  let query = db.selectFrom('audit_log').selectAll()
  if (filter.target !== undefined) query = query.where('target', '=', filter.target)
  if (filter.targetPrefix !== undefined) {
    // substr rather than LIKE: LIKE treats `_` and `%` in names as wildcards, and is
    // case-insensitive on SQLite but not on PostgreSQL.
    const prefix = filter.targetPrefix
    query = query.where(sql<string>`substr(target, 1, ${prefix.length})`, '=', prefix)
  }
  if (filter.actor !== undefined) query = query.where('actor', '=', filter.actor)
  if (filter.action !== undefined) query = query.where('action', '=', filter.action)
  if (filter.afterSeq !== undefined) query = query.where('seq', '>', filter.afterSeq)
  const rows = await query.orderBy('seq', 'desc').limit(limit).execute()
  return rows.map(entryFromRow)
}
