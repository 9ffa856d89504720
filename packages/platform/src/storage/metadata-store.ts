import type { Kysely } from 'kysely'
import type { DatabaseSchema } from './schema.js'

/** What differs between backends, as flags that domain code reads instead of dialect names. */
export interface MetadataStoreCapabilities {
  /** `SELECT … FOR UPDATE SKIP LOCKED` is available (job queues). */
  readonly supportsSkipLocked: boolean
  /** Only one connection writes at a time (SQLite): writers queue in process. */
  readonly singleWriter: boolean
  /** `ILIKE` exists; otherwise compare `lower(a) LIKE lower(b)`. `LIKE` is case-sensitive on both. */
  readonly supportsIlike: boolean
  /** Most bound parameters one statement may carry. */
  readonly maxBindParameters: number
}

export interface MetadataStore {
  readonly db: Kysely<DatabaseSchema>
  readonly capabilities: MetadataStoreCapabilities
  /** Where the store lives, with any password masked: for logs and `ballast` output. */
  readonly description: string
  /** Applies pending migrations under a lock; safe when several processes start together. */
  migrate(): Promise<void>
  /** Resolves when the database answers a trivial query; rejects otherwise. */
  ping(): Promise<void>
  close(): Promise<void>
}
