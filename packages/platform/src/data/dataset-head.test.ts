import { rmSync } from 'node:fs'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { remoteView } from '../artifacts/test-support/remote-view.js'
import { ANONYMOUS_ADMIN } from '../governance/actor.js'
import { datasetHead } from './dataset-head.js'
import { DuckEngine } from './duckdb/duck-engine.js'
import { type TestData, openTestData } from './test-support/open-test-data.js'

describe('datasetHead', () => {
  let t: TestData
  let engine: DuckEngine
  beforeEach(async () => {
    t = await openTestData()
    engine = await DuckEngine.open()
  })
  afterEach(async () => {
    engine.close()
    await t.dispose()
  })

  async function ingest() {
    const file = t.file('h.csv', 'id,big,at\n1,9007199254740993,2024-05-01 10:00:00\n2,3,\n')
    return (await t.services.data.ingest({ name: 'h', input: file, actor: ANONYMOUS_ADMIN }))
      .version
  }

  it('reads through a copy when the store is not local, keeping big integers exact as text', async () => {
    const version = await ingest()
    // A store that only streams, as S3 does.
    const remote = remoteView(t.artifacts, 'remote')
    expect(await datasetHead(engine, remote, version, 5)).toEqual({
      name: 'h',
      version: 1,
      columns: ['id', 'big', 'at'],
      rows: [
        { id: 1, big: '9007199254740993', at: '2024-05-01 10:00:00' },
        { id: 2, big: 3, at: null },
      ],
    })
  })

  it('names the version when its blob is gone from a local store', async () => {
    const version = await ingest()
    rmSync(t.artifacts.blobPath(version.blobDigest))
    await expect(datasetHead(engine, t.artifacts, version, 5)).rejects.toMatchObject({
      code: 'RESOURCE_DOES_NOT_EXIST',
      message: `the data of h@1 (blob ${version.blobDigest}) is missing from the artifact store`,
    })
  })
})
