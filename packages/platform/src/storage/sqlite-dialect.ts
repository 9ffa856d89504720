import { type DialectAdapter, type Kysely, SqliteAdapter, SqliteDialect, sql } from 'kysely'

/**
 * Kysely's SQLite adapter runs migrations outside a transaction and without a lock. SQLite does
 * have transactional DDL, so migrations here run in one transaction whose first statement takes
 * the write lock: a crash leaves no half-applied migration, and a second process waits its turn.
 */
class TransactionalSqliteAdapter extends SqliteAdapter {
  override get supportsTransactionalDdl(): boolean {
    return true
  }

  override async acquireMigrationLock(
    db: Kysely<unknown>,
    options: { lockTable: string },
  ): Promise<void> {
    await sql`update ${sql.table(options.lockTable)} set is_locked = is_locked`.execute(db)
  }
}

export class BallastSqliteDialect extends SqliteDialect {
  override createAdapter(): DialectAdapter {
    return new TransactionalSqliteAdapter()
  }
}
