import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import type { MetadataStore } from '../storage/index.js'
import { type TestStore, openTestSqliteStore } from '../storage/test-support/test-stores.js'
import { WriteCoalescer } from './write-coalescer.js'

let test: TestStore

beforeEach(async () => {
  test = await openTestSqliteStore()
})

afterEach(async () => {
  await test.dispose()
})

function insertTag(value: string) {
  return async (trx: MetadataStore['db']) => {
    await trx
      .insertInto('experiment_tags')
      .values({ experiment_id: 0, key: value, value })
      .execute()
  }
}

async function tagKeys(): Promise<string[]> {
  const rows = await test.store.db
    .selectFrom('experiment_tags')
    .select('key')
    .orderBy('key')
    .execute()
  return rows.map((r) => r.key)
}

describe('WriteCoalescer', () => {
  it('commits concurrent units together, and rolls back only the one that failed', async () => {
    const writes = new WriteCoalescer(test.store)
    const results = await Promise.allSettled([
      writes.run(insertTag('a')),
      writes.run(async (trx) => {
        await insertTag('b')(trx)
        throw new Error('unit b failed after writing')
      }),
      writes.run(insertTag('c')),
      // The same key again violates the primary key: a database error, rolled back alone too.
      writes.run(insertTag('a')),
    ])
    expect(results.map((r) => r.status)).toEqual(['fulfilled', 'rejected', 'fulfilled', 'rejected'])
    expect((results[1] as PromiseRejectedResult).reason).toEqual(
      new Error('unit b failed after writing'),
    )
    expect(await tagKeys()).toEqual(['a', 'c'])
  })

  it('rolls back a unit that runs alone', async () => {
    const writes = new WriteCoalescer(test.store)
    await expect(
      writes.run(async (trx) => {
        await insertTag('x')(trx)
        throw new Error('no')
      }),
    ).rejects.toThrow('no')
    await writes.run(insertTag('y'))
    expect(await tagKeys()).toEqual(['y'])
  })

  it('uses plain transactions on a store with concurrent writers', async () => {
    const concurrent = {
      ...test.store,
      db: test.store.db,
      capabilities: { ...test.store.capabilities, singleWriter: false },
    } as MetadataStore
    const writes = new WriteCoalescer(concurrent)
    await Promise.all([writes.run(insertTag('p')), writes.run(insertTag('q'))])
    expect(await tagKeys()).toEqual(['p', 'q'])
  })
})
