/** Governance: API tokens and the hash-chained audit log. */

export interface TokensTable {
  token_id: string
  name: string
  role: string
  /** sha256 of the secret, hex. The secret itself is never stored. */
  token_hash: string
  created_at: number
  last_used_at: number | null
  revoked_at: number | null
}

/** One audited change, chained to the one before by `prev_hash`. */
export interface AuditLogTable {
  seq: number
  time: number
  actor: string
  action: string
  target: string
  before_digest: string | null
  after_digest: string | null
  detail: string | null
  prev_hash: string
  hash: string
}

/** One row (id 1): the last entry's sequence number and hash. */
export interface AuditHeadTable {
  id: number
  seq: number
  hash: string
}
