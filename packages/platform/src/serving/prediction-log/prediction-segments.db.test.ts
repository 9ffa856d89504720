import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { type TestStore, openTestPostgresStore } from '../../storage/test-support/test-stores.js'
import { insertSegment, listSegments } from './prediction-segments.js'

const T0 = Date.UTC(2026, 10, 26, 12, 0, 0)
const DIGEST = 'a'.repeat(64)

describe('prediction segments on PostgreSQL', () => {
  let t: TestStore
  beforeAll(async () => {
    t = await openTestPostgresStore()
    const segment = (id: string, deployment: string, min: number, max: number) =>
      insertSegment(t.store, {
        id,
        deployment,
        minTime: T0 + min,
        maxTime: T0 + max,
        rows: max - min + 1,
        blobDigest: DIGEST,
        createdAt: T0 + max + 100,
      })
    await segment('s1', 'churn', 0, 999)
    await segment('s2', 'churn', 1000, 1999)
    await segment('s3', 'churn', 2000, 2999)
    await segment('s4', 'fraud', 0, 2999)
  })
  afterAll(async () => {
    await t.dispose()
  })

  it('reads times back as numbers, all of a deployment oldest first', async () => {
    const all = await listSegments(t.store, 'churn')
    expect(all.map((s) => s.id)).toEqual(['s1', 's2', 's3'])
    expect(all[0]).toEqual({
      id: 's1',
      deployment: 'churn',
      minTime: T0,
      maxTime: T0 + 999,
      rows: 1000,
      blobDigest: DIGEST,
      createdAt: T0 + 1099,
    })
  })

  it('selects the segments overlapping [from, to)', async () => {
    const ids = async (from: number, to: number) =>
      (await listSegments(t.store, 'churn', { from: T0 + from, to: T0 + to })).map((s) => s.id)
    expect(await ids(999, 1000)).toEqual(['s1'])
    expect(await ids(1000, 2001)).toEqual(['s2', 's3'])
    expect(await ids(3000, 4000)).toEqual([])
    expect((await listSegments(t.store, 'churn', { to: T0 + 1000 })).map((s) => s.id)).toEqual([
      's1',
    ])
  })
})
