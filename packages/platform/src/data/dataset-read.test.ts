import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { ANONYMOUS_ADMIN } from '../governance/actor.js'
import { type TestData, openTestData } from './test-support/open-test-data.js'

describe('readColumns', () => {
  let t: TestData
  beforeEach(async () => {
    t = await openTestData()
  })
  afterEach(async () => {
    await t.dispose()
  })

  async function ingest() {
    const file = t.file(
      'r.csv',
      'id,score,ok,city,at\n1,0.5,true,Oslo,2024-05-01 10:00:00\n2,,false,,\n3,-2,,Lima,1969-12-31 23:59:59\n',
    )
    await t.services.data.ingest({ name: 'r', input: file, actor: ANONYMOUS_ADMIN })
  }

  it('types every column for computation: NaN and null for missing, datetimes in epoch ms', async () => {
    await ingest()
    const read = await t.services.data.readColumns('r', 'latest')
    expect(read.rowCount).toBe(3)
    expect(read.version.version).toBe(1)
    const byName = Object.fromEntries(read.columns.map((c) => [c.name, c]))
    expect(byName.id).toMatchObject({ type: 'integer', values: Float64Array.from([1, 2, 3]) })
    expect(Array.from(byName.score!.values as Float64Array)).toEqual([0.5, Number.NaN, -2])
    expect(Array.from(byName.ok!.values as Float64Array)).toEqual([1, 0, Number.NaN])
    expect(byName.city).toMatchObject({ type: 'string', values: ['Oslo', null, 'Lima'] })
    expect(Array.from(byName.at!.values as Float64Array)).toEqual([
      Date.UTC(2024, 4, 1, 10),
      Number.NaN,
      -1000,
    ])
  })

  it('reads only the named columns, in the order asked, and names an unknown one', async () => {
    await ingest()
    const read = await t.services.data.readColumns('r', 1, ['city', 'id'])
    expect(read.columns.map((c) => c.name)).toEqual(['city', 'id'])
    await expect(t.services.data.readColumns('r', 1, ['nope'])).rejects.toThrow(
      "dataset r@1 has no column 'nope'; it has id, score, ok, city, at",
    )
  })
})
