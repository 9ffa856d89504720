import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import path from 'node:path'
import { afterAll, describe, expect, it } from 'vitest'
import { SqliteMetadataStore } from './sqlite-metadata-store.js'
import { runMetadataStoreContract } from './test-support/metadata-store-contract.js'
import { openTestSqliteStore } from './test-support/test-stores.js'

runMetadataStoreContract({ name: 'sqlite', open: openTestSqliteStore })

describe('SqliteMetadataStore', () => {
  const dir = mkdtempSync(path.join(tmpdir(), 'ballast-sqlite-'))
  afterAll(() => rmSync(dir, { recursive: true, force: true }))

  it('opens in WAL mode with synchronous=FULL and foreign keys on', async () => {
    const store = new SqliteMetadataStore(path.join(dir, 'pragmas.db'))
    expect(store.connection.pragma('journal_mode', { simple: true })).toBe('wal')
    expect(store.connection.pragma('synchronous', { simple: true })).toBe(2)
    expect(store.connection.pragma('foreign_keys', { simple: true })).toBe(1)
    expect(store.capabilities).toMatchObject({ singleWriter: true, supportsSkipLocked: false })
    expect(store.connection.pragma('wal_autocheckpoint', { simple: true })).toBe(10_000)
    await store.close()
  })

  it('keeps metric points in their primary key (WITHOUT ROWID)', async () => {
    const store = new SqliteMetadataStore(path.join(dir, 'clustered.db'))
    await store.migrate()
    const tables = store.connection
      .prepare("select name from sqlite_schema where type = 'table' and sql like '%without rowid'")
      .pluck()
      .all()
    expect(tables).toContain('metrics')
    // No separate index: the rows are the primary key's b-tree.
    const indexes = store.connection
      .prepare("select name from sqlite_schema where type = 'index' and tbl_name = 'metrics'")
      .pluck()
      .all()
    expect(indexes).toEqual([])
    await store.close()
  })

  it('lets two connections migrate one file at the same time', async () => {
    const file = path.join(dir, 'race.db')
    const a = new SqliteMetadataStore(file, { busyTimeoutMs: 20 })
    const b = new SqliteMetadataStore(file, { busyTimeoutMs: 20 })
    await Promise.all([a.migrate(), b.migrate()])
    const rows = await a.db.selectFrom('experiments').select('name').execute()
    expect(rows).toEqual([{ name: 'Default' }])
    await Promise.all([a.close(), b.close()])
  })
})
