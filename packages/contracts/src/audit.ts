import { z } from 'zod'

/**
 * The audit API (`/api/v1/audit`): the hash-chained record of every change, and its verification.
 * Times are epoch milliseconds; digests and hashes are SHA-256 in hex.
 */

export const AuditEntryWire = z.object({
  seq: z.number().int().positive(),
  time: z.number().int(),
  /** A token's name, `anonymous`, or `system:<automation>`. */
  actor: z.string(),
  /** `<context>.<verb>`: `deployment.promote`, `model.alias.set`, … */
  action: z.string(),
  /** `<kind>:<name>`: `deployment:flights`, `model:flights/3`, `dataset:flights@2`, … */
  target: z.string(),
  /** SHA-256 of the target's state (canonical JSON) before and after; null when absent. */
  before_digest: z.string().nullable(),
  after_digest: z.string().nullable(),
  detail: z.record(z.string(), z.unknown()).nullable(),
  prev_hash: z.string(),
  hash: z.string(),
})
export type AuditEntryWire = z.output<typeof AuditEntryWire>

export const AuditQuery = z.object({
  /** Exactly this target (`model:flights`), or, ending in `*`, every target it starts with. */
  target: z.string().min(1).optional(),
  actor: z.string().min(1).optional(),
  action: z.string().min(1).optional(),
  /** Only entries after this sequence number (for following the log). */
  after_seq: z.coerce.number().int().min(0).optional(),
  limit: z.coerce.number().int().min(1).max(1000).optional(),
})
export type AuditQuery = z.output<typeof AuditQuery>

/** Newest first. */
export const AuditLogResponse = z.object({ entries: z.array(AuditEntryWire) })
export type AuditLogResponse = z.output<typeof AuditLogResponse>

export const AUDIT_PROBLEM_KINDS = ['edited', 'deleted', 'reordered', 'head-mismatch'] as const

export const AuditVerifyResponse = z.object({
  ok: z.boolean(),
  /** Entries that verified, from the first. */
  entries: z.number().int().min(0),
  /** Hash of the last entry that verified (64 zeros for an empty log). */
  head: z.string(),
  /** The first entry found wrong and how; null when ok. */
  problem: z
    .object({ seq: z.number().int(), kind: z.enum(AUDIT_PROBLEM_KINDS), message: z.string() })
    .nullable(),
})
export type AuditVerifyResponse = z.output<typeof AuditVerifyResponse>
