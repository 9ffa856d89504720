import { afterEach, describe, expect, it } from 'vitest'
import { ANONYMOUS_ADMIN } from '../governance/actor.js'
import {
  type TestStore,
  openTestPostgresStore,
  openTestSqliteStore,
} from '../storage/test-support/test-stores.js'
import { type TestData, openTestData } from './test-support/open-test-data.js'

const actor = ANONYMOUS_ADMIN

const BACKENDS: Array<[string, () => Promise<TestStore>]> = [
  ['SQLite', openTestSqliteStore],
  ['PostgreSQL', openTestPostgresStore],
]

describe.each(BACKENDS)('dataset version numbers on %s', (_backend, open) => {
  let t: TestData | undefined
  afterEach(async () => {
    await t?.dispose()
    t = undefined
  })

  it('gives concurrent ingests of different content distinct numbers 1..n', async () => {
    t = await openTestData({ open })
    const files = Array.from({ length: 8 }, (_, i) => t!.file(`f${i}.csv`, `i\n${i}\n`))
    const results = await Promise.all(
      files.map((input) => t!.services.data.ingest({ name: 'race', input, actor })),
    )
    expect(results.map((r) => r.version.version).sort((a, b) => a - b)).toEqual([
      1, 2, 3, 4, 5, 6, 7, 8,
    ])
    expect(results.every((r) => !r.existing)).toBe(true)
    const dataset = await t.services.data.getDataset('race')
    expect(dataset.dataset.versionCount).toBe(8)
    expect(dataset.dataset.latest?.version).toBe(8)
  })

  it('publishes identical concurrent ingests once; the others get it as existing', async () => {
    t = await openTestData({ open })
    const file = t.file('same.csv', 'i\n1\n2\n')
    const results = await Promise.all(
      Array.from({ length: 5 }, () =>
        t!.services.data.ingest({ name: 'same', input: file, actor }),
      ),
    )
    expect(results.filter((r) => !r.existing)).toHaveLength(1)
    expect(new Set(results.map((r) => r.version.version))).toEqual(new Set([1]))
    const versions = await t.services.data.listVersions('same')
    expect(versions.map((v) => v.version)).toEqual([1])
    // A rolled-back publication leaves no gap: the next content is version 2.
    const next = await t.services.data.ingest({
      name: 'same',
      input: t.file('n.csv', 'i\n9\n'),
      actor,
    })
    expect(next.version.version).toBe(2)
  })
})
