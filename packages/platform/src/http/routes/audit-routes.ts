import {
  type AuditEntryWire,
  AuditLogResponse,
  AuditQuery,
  AuditVerifyResponse,
} from '@ballast/contracts'
import { type AuditEntry, listAudit, verifyAudit } from '../../governance/index.js'
import { defineRoute, type AnyRoute } from '../route.js'

const DEFAULT_LIMIT = 100

export function auditEntryToWire(e: AuditEntry): AuditEntryWire {
  return {
    seq: e.seq,
    time: e.time,
    actor: e.actor,
    action: e.action,
    target: e.target,
    before_digest: e.beforeDigest,
    after_digest: e.afterDigest,
    detail: e.detail,
    prev_hash: e.prevHash,
    hash: e.hash,
  }
}

/** `target=model:flights*` asks for every target starting with `model:flights`. */
function targetFilter(target: string | undefined) {
  if (target === undefined) return {}
  return target.endsWith('*') ? { targetPrefix: target.slice(0, -1) } : { target }
}

/** The audit trail: readable by viewers, since it holds digests and names, never secrets. */
export const AUDIT_ROUTES: readonly AnyRoute[] = [
  /** `{entries}` newest first, filtered by `target`, `actor`, `action`, `after_seq`; `limit` ≤ 1000. */
  defineRoute({
    method: 'GET',
    path: '/api/v1/audit',
    query: AuditQuery,
    response: AuditLogResponse,
    permission: 'viewer',
    handler: async ({ query, services }) => {
      const entries = await listAudit(services.store.db, {
        ...targetFilter(query.target),
        actor: query.actor,
        action: query.action,
        afterSeq: query.after_seq,
        limit: query.limit ?? DEFAULT_LIMIT,
      })
      return { entries: entries.map(auditEntryToWire) }
    },
  }),

  /** `{ok, entries, head, problem}`: a broken chain is an answer (200), not a failed request. */
  defineRoute({
    method: 'GET',
    path: '/api/v1/audit/verify',
    response: AuditVerifyResponse,
    permission: 'viewer',
    handler: async ({ services }) => {
      const result = await verifyAudit(services.store.db)
      return {
        ok: result.ok,
        entries: result.entries,
        head: result.head,
        problem: result.problem ?? null,
      }
    },
  }),
]
