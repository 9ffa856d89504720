import { Kysely, PostgresDialect, sql } from 'kysely'
import pg from 'pg'
import type { MetadataStore, MetadataStoreCapabilities } from './metadata-store.js'
import type { MigrationContext } from './migration-context.js'
import { runMigrations } from './run-migrations.js'
import type { DatabaseSchema } from './schema.js'

const MIGRATION_CONTEXT: MigrationContext = {
  types: { bigint: 'bigint', double: 'double precision', smallint: 'smallint', text: 'text' },
  autoIncrementPrimaryKey: (c) => c.primaryKey().generatedByDefaultAsIdentity(),
  storedByPrimaryKey: (table) => table,
}

const INT8_OID = 20
const NUMERIC_OID = 1700

/** Epoch-millisecond times and steps fit a double exactly; read int8 as number, not string. */
const TYPES = {
  getTypeParser(oid: number, format?: 'text' | 'binary') {
    if (oid === INT8_OID || oid === NUMERIC_OID) return (value: string) => Number(value)
    return pg.types.getTypeParser(oid, format)
  },
}

export function maskPassword(url: string): string {
  try {
    const u = new URL(url)
    if (u.password) u.password = '***'
    return u.toString()
  } catch {
    return 'postgres://(unparseable url)'
  }
}

/** PostgreSQL through a pg pool: the backend for teams running several servers and workers. */
export class PostgresMetadataStore implements MetadataStore {
  readonly db: Kysely<DatabaseSchema>
  readonly capabilities: MetadataStoreCapabilities = {
    supportsSkipLocked: true,
    singleWriter: false,
    supportsIlike: true,
    maxBindParameters: 65_535,
  }
  readonly description: string
  readonly pool: pg.Pool

  constructor(url: string, options: { maxConnections?: number } = {}) {
    this.description = maskPassword(url)
    this.pool = new pg.Pool({
      connectionString: url,
      max: options.maxConnections ?? 10,
      types: TYPES,
      connectionTimeoutMillis: 5_000,
    })
    // An idle client that loses its connection must not crash the process; the next query reports it.
    this.pool.on('error', () => {})
    this.db = new Kysely<DatabaseSchema>({ dialect: new PostgresDialect({ pool: this.pool }) })
  }

  async migrate(): Promise<void> {
    const { rows } = await sql<{ schema: string }>`select current_schema() as schema`.execute(
      this.db,
    )
    await runMigrations(this.db as Kysely<unknown>, MIGRATION_CONTEXT, { schema: rows[0]?.schema })
  }

  private closed = false

  async ping(): Promise<void> {
    if (this.closed) throw new Error(`${this.description} is closed`)
    await sql`select 1`.execute(this.db)
  }

  async close(): Promise<void> {
    this.closed = true
    await this.db.destroy()
  }
}
