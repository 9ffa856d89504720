import type Database from 'better-sqlite3'
import type { SqliteDatabase, SqliteStatement } from 'kysely'

/** Distinct SQL texts kept prepared; the hot ones are few, search builds many one-off texts. */
export const STATEMENT_CACHE_SIZE = 256
/**
 * Total length of the SQL texts kept. A prepared statement takes about 25 bytes of memory per
 * character of its text (a 1000-row metrics insert: 20 kB of SQL, 0.5 MB prepared), so this keeps
 * the cache near 6 MB whatever mix of batch sizes clients send.
 */
export const STATEMENT_CACHE_CHARS = 256 * 1024

/**
 * The connection as Kysely's SQLite driver sees it, with prepared statements kept for reuse.
 * The driver prepares every query it runs, and preparing costs more than running for the
 * statements that matter most: a 1000-row metrics insert carries 6000 parameters, and the
 * transaction and savepoint statements run for every write. SQLite re-prepares a kept statement
 * by itself when the schema changes under it.
 */
export class StatementCache implements SqliteDatabase {
  /** Insertion order is recency order: a hit moves its entry to the end. */
  private readonly statements = new Map<string, Database.Statement>()
  private chars = 0

  constructor(
    private readonly connection: Database.Database,
    private readonly capacity = STATEMENT_CACHE_SIZE,
    private readonly maxChars = STATEMENT_CACHE_CHARS,
  ) {}

  /** Statements currently kept (for tests). */
  get size(): number {
    return this.statements.size
  }

  prepare(sql: string): SqliteStatement {
    const kept = this.statements.get(sql)
    // A statement still being iterated (a streamed select) cannot run again until it finishes.
    if (kept !== undefined && !kept.busy) {
      this.statements.delete(sql)
      this.statements.set(sql, kept)
      return kept
    }
    const statement = this.connection.prepare(sql)
    if (kept === undefined && sql.length <= this.maxChars) {
      this.statements.set(sql, statement)
      this.chars += sql.length
      while (this.statements.size > this.capacity || this.chars > this.maxChars) {
        const oldest = this.statements.keys().next().value as string
        this.statements.delete(oldest)
        this.chars -= oldest.length
      }
    }
    return statement
  }

  close(): void {
    this.statements.clear()
    this.chars = 0
    this.connection.close()
  }
}
