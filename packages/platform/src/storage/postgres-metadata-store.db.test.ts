import pg from 'pg'
import { describe, expect, it } from 'vitest'
import { PostgresMetadataStore, maskPassword } from './postgres-metadata-store.js'
import { runMetadataStoreContract } from './test-support/metadata-store-contract.js'
import { TEST_POSTGRES_URL, openTestPostgresStore } from './test-support/test-stores.js'

runMetadataStoreContract({ name: 'postgres', open: openTestPostgresStore })

describe('PostgresMetadataStore', () => {
  it('masks the password in its description', () => {
    expect(maskPassword('postgres://u:secret@h:5432/db')).toBe('postgres://u:***@h:5432/db')
  })

  it('lets three servers migrate one database at the same time', async () => {
    const schema = `race_${Date.now().toString(36)}`
    const admin = new pg.Client({ connectionString: TEST_POSTGRES_URL })
    await admin.connect()
    await admin.query(`create schema ${schema}`)
    const url = `${TEST_POSTGRES_URL}?options=${encodeURIComponent(`-c search_path=${schema}`)}`
    const stores = [1, 2, 3].map(() => new PostgresMetadataStore(url))
    try {
      await Promise.all(stores.map((s) => s.migrate()))
      const rows = await stores[0]!.db.selectFrom('experiments').select('name').execute()
      expect(rows).toEqual([{ name: 'Default' }])
    } finally {
      await Promise.all(stores.map((s) => s.close()))
      await admin.query(`drop schema ${schema} cascade`)
      await admin.end()
    }
  })

  it('rejects ping when the server is unreachable', async () => {
    const store = new PostgresMetadataStore('postgres://postgres@127.0.0.1:1/test')
    await expect(store.ping()).rejects.toThrow()
    await store.close()
  })
})
