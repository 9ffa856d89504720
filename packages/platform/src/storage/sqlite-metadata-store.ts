import { mkdirSync } from 'node:fs'
import path from 'node:path'
import Database from 'better-sqlite3'
import { Kysely, sql } from 'kysely'
import type { MetadataStore, MetadataStoreCapabilities } from './metadata-store.js'
import type { MigrationContext } from './migration-context.js'
import { BallastSqliteDialect } from './sqlite-dialect.js'
import { runMigrations } from './run-migrations.js'
import type { DatabaseSchema } from './schema.js'
import { StatementCache } from './statement-cache.js'

const MIGRATION_ATTEMPTS = 40
const WAL_AUTOCHECKPOINT_PAGES = 10_000

const MIGRATION_CONTEXT: MigrationContext = {
  // INTEGER (not BIGINT) so that an INTEGER PRIMARY KEY is the rowid and autoincrements.
  types: { bigint: 'integer', double: 'real', smallint: 'integer', text: 'text' },
  autoIncrementPrimaryKey: (c) => c.primaryKey(),
  // The rows live in the primary key's b-tree: one write per row instead of a table and an index.
  storedByPrimaryKey: (table) => table.modifyEnd(sql`without rowid`),
}

/**
 * The embedded default: one SQLite file, WAL journal, synchronous=FULL, one connection. Kysely
 * serializes every query on that connection, so writes never contend inside a process; other
 * processes on the same file wait up to the busy timeout.
 */
export class SqliteMetadataStore implements MetadataStore {
  readonly db: Kysely<DatabaseSchema>
  readonly capabilities: MetadataStoreCapabilities = {
    supportsSkipLocked: false,
    singleWriter: true,
    supportsIlike: false,
    maxBindParameters: 32_766,
  }
  readonly description: string
  /** The raw connection, for the few hot paths that bypass query building (bulk metric inserts). */
  readonly connection: Database.Database

  constructor(file: string, options: { busyTimeoutMs?: number } = {}) {
    if (file !== ':memory:') mkdirSync(path.dirname(file), { recursive: true })
    this.description = `sqlite:${file}`
    const connection = new Database(file)
    connection.pragma('journal_mode = WAL')
    connection.pragma('synchronous = FULL')
    connection.pragma(`busy_timeout = ${options.busyTimeoutMs ?? 10_000}`)
    connection.pragma('foreign_keys = ON')
    // Searches look up many runs by key; the 2 MB default cache makes each lookup a page read.
    connection.pragma('cache_size = -65536')
    // MLflow's LIKE is case-sensitive; SQLite's is not unless asked.
    connection.pragma('case_sensitive_like = ON')
    // Checkpoint every ~40 MB of WAL rather than every 4 MB: a page rewritten by many commits
    // (the tip of a metric's history) is copied back to the database once per checkpoint.
    connection.pragma(`wal_autocheckpoint = ${WAL_AUTOCHECKPOINT_PAGES}`)
    this.connection = connection
    this.db = new Kysely<DatabaseSchema>({
      dialect: new BallastSqliteDialect({ database: new StatementCache(connection) }),
    })
  }

  /**
   * Another process migrating the same file holds the write lock; WAL then answers SQLITE_BUSY
   * (a stale read snapshot cannot be upgraded, and the busy timeout does not apply). Waiting and
   * trying again is safe: the second attempt finds the migrations applied.
   */
  async migrate(): Promise<void> {
    for (let attempt = 1; ; attempt++) {
      try {
        await runMigrations(this.db as Kysely<unknown>, MIGRATION_CONTEXT)
        return
      } catch (error) {
        const code = (error as { cause?: { code?: string } }).cause?.code ?? ''
        if (!code.startsWith('SQLITE_BUSY') || attempt >= MIGRATION_ATTEMPTS) throw error
        await new Promise((resolve) => setTimeout(resolve, 25 * attempt))
      }
    }
  }

  async ping(): Promise<void> {
    if (!this.connection.open) throw new Error(`${this.description} is closed`)
    await sql`select 1`.execute(this.db)
  }

  async close(): Promise<void> {
    await this.db.destroy()
  }
}
