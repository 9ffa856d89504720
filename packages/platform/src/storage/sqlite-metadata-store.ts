import { mkdirSync } from 'node:fs'
import path from 'node:path'
import Database from 'better-sqlite3'
import { Kysely, SqliteDialect, sql } from 'kysely'
import type { MetadataStore, MetadataStoreCapabilities } from './metadata-store.js'
import type { MigrationContext } from './migration-context.js'
import { runMigrations } from './run-migrations.js'
import type { DatabaseSchema } from './schema.js'

const MIGRATION_CONTEXT: MigrationContext = {
  // INTEGER (not BIGINT) so that an INTEGER PRIMARY KEY is the rowid and autoincrements.
  types: { bigint: 'integer', double: 'real', smallint: 'integer', text: 'text' },
  autoIncrementPrimaryKey: (c) => c.primaryKey(),
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
    // MLflow's LIKE is case-sensitive; SQLite's is not unless asked.
    connection.pragma('case_sensitive_like = ON')
    this.connection = connection
    this.db = new Kysely<DatabaseSchema>({ dialect: new SqliteDialect({ database: connection }) })
  }

  async migrate(): Promise<void> {
    await runMigrations(this.db as Kysely<unknown>, MIGRATION_CONTEXT)
  }

  async ping(): Promise<void> {
    await sql`select 1`.execute(this.db)
  }

  async close(): Promise<void> {
    await this.db.destroy()
  }
}
