import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import path from 'node:path'
import pg from 'pg'
import type { MetadataStore } from '../metadata-store.js'
import { PostgresMetadataStore } from '../postgres-metadata-store.js'
import { SqliteMetadataStore } from '../sqlite-metadata-store.js'

/** PostgreSQL for `.db.test.ts` files; CI starts it on this address. */
export const TEST_POSTGRES_URL = 'postgres://postgres@127.0.0.1:5432/test'

export interface TestStore {
  store: MetadataStore
  /** Closes the store and removes its file or schema. */
  dispose(): Promise<void>
}

/** A migrated SQLite store in a fresh temporary folder. */
export async function openTestSqliteStore(): Promise<TestStore> {
  const dir = mkdtempSync(path.join(tmpdir(), 'ballast-test-'))
  const store = new SqliteMetadataStore(path.join(dir, 'ballast.db'))
  await store.migrate()
  return {
    store,
    async dispose() {
      await store.close()
      rmSync(dir, { recursive: true, force: true })
    },
  }
}

/**
 * Kysely's migrator lists the tables of every schema; when another test file drops its schema in
 * the middle of that listing, PostgreSQL answers "schema … does not exist". Only tests drop
 * schemas while others migrate, so only they try again.
 */
async function migrateWithRetries(store: PostgresMetadataStore): Promise<void> {
  for (let attempt = 1; ; attempt++) {
    try {
      await store.migrate()
      return
    } catch (error) {
      if (attempt === 3 || !/schema "[^"]+" does not exist/.test(String(error))) throw error
      await new Promise((resolve) => setTimeout(resolve, 100 * attempt))
    }
  }
}

/** A migrated PostgreSQL store in a schema of its own, dropped on dispose. */
export async function openTestPostgresStore(): Promise<TestStore> {
  const schema = `t_${process.pid}_${Date.now().toString(36)}_${Math.random().toString(36).slice(2, 8)}`
  const admin = new pg.Client({ connectionString: TEST_POSTGRES_URL })
  await admin.connect()
  await admin.query(`create schema ${schema}`)
  await admin.end()
  const url = `${TEST_POSTGRES_URL}?options=${encodeURIComponent(`-c search_path=${schema}`)}`
  const store = new PostgresMetadataStore(url)
  await migrateWithRetries(store)
  return {
    store,
    async dispose() {
      await store.close()
      const c = new pg.Client({ connectionString: TEST_POSTGRES_URL })
      await c.connect()
      await c.query(`drop schema ${schema} cascade`)
      await c.end()
    },
  }
}
