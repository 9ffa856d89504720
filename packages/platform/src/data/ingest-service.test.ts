import { writeFileSync } from 'node:fs'
import path from 'node:path'
import { parseExpectationSuite } from '@ballast/contracts'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { ANONYMOUS_ADMIN, listAudit, stateDigest } from '../governance/index.js'
import { DuckEngine } from './duckdb/duck-engine.js'
import { VEGA_DATA, type TestData, openTestData } from './test-support/open-test-data.js'

const actor = ANONYMOUS_ADMIN

describe('ingestDataset', () => {
  let t: TestData
  beforeEach(async () => {
    t = await openTestData()
  })
  afterEach(async () => {
    await t.dispose()
  })

  it('ingests seattle-weather.csv with its schema, row count and Parquet digest', async () => {
    const file = path.join(VEGA_DATA, 'seattle-weather.csv')
    const { version, existing } = await t.services.data.ingest({
      name: 'weather',
      input: file,
      actor,
    })
    expect(existing).toBe(false)
    expect(version).toMatchObject({
      name: 'weather',
      version: 1,
      source: 'seattle-weather.csv',
      format: 'csv',
      rowCount: 1461,
      createdBy: 'anonymous',
    })
    expect(version.schema.columns).toEqual([
      { name: 'date', type: 'datetime', nullable: false, storageType: 'DATE' },
      { name: 'precipitation', type: 'float', nullable: false, storageType: 'DOUBLE' },
      { name: 'temp_max', type: 'float', nullable: false, storageType: 'DOUBLE' },
      { name: 'temp_min', type: 'float', nullable: false, storageType: 'DOUBLE' },
      { name: 'wind', type: 'float', nullable: false, storageType: 'DOUBLE' },
      { name: 'weather', type: 'string', nullable: false, storageType: 'VARCHAR' },
    ])
    const blob = await t.artifacts.stat(version.digest)
    expect(blob).toEqual({ digest: version.digest, size: version.sizeBytes })
    expect(version.blobDigest).toBe(version.digest)
    expect(await listAudit(t.store.db, { limit: 10 })).toMatchObject([
      {
        actor: 'anonymous',
        action: 'dataset.version.create',
        target: 'dataset:weather@1',
        beforeDigest: null,
        afterDigest: stateDigest({ digest: version.digest, rows: 1461 }),
      },
    ])
  })

  it('returns the existing version for identical content, and numbers new content 2', async () => {
    const a = t.file('a.csv', 'id,score\n1,0.5\n2,\n')
    const first = await t.services.data.ingest({ name: 'scores', input: a, actor })
    const again = await t.services.data.ingest({ name: 'scores', input: a, actor })
    expect(again).toEqual({ version: first.version, existing: true })
    const b = t.file('b.csv', 'id,score\n1,0.5\n2,0.7\n3,0.9\n')
    const second = await t.services.data.ingest({ name: 'scores', input: b, actor })
    expect(second.existing).toBe(false)
    expect(second.version).toMatchObject({ version: 2, rowCount: 3, source: 'b.csv' })
    expect(first.version.schema.columns).toEqual([
      { name: 'id', type: 'integer', nullable: false, storageType: 'BIGINT' },
      { name: 'score', type: 'float', nullable: true, storageType: 'DOUBLE' },
    ])
    // The same bytes with a filter are different content: a version of their own.
    const filtered = await t.services.data.ingest({
      name: 'scores',
      input: b,
      where: 'score > 0.6',
      actor,
    })
    expect(filtered.version).toMatchObject({ version: 3, rowCount: 2 })
    expect((await t.services.data.listVersions('scores')).map((v) => v.version)).toEqual([3, 2, 1])
  })

  it('keeps only the rows the where predicate selects', async () => {
    const file = path.join(VEGA_DATA, 'seattle-weather.csv')
    const { version } = await t.services.data.ingest({
      name: 'rainy',
      input: file,
      where: "weather = 'rain' AND precipitation >= 10",
      actor,
    })
    expect(version.rowCount).toBe(136)
    const head = await t.services.data.head('rainy', 'latest', 2)
    expect(head.rows).toEqual([
      {
        date: '2012-01-02',
        precipitation: 10.9,
        temp_max: 10.6,
        temp_min: 2.8,
        wind: 4.5,
        weather: 'rain',
      },
      {
        date: '2012-01-04',
        precipitation: 20.3,
        temp_max: 12.2,
        temp_min: 5.6,
        wind: 4.7,
        weather: 'rain',
      },
    ])
  })

  it('ingests flights-200k.json (a JSON array) with integer and float columns', async () => {
    const file = path.join(VEGA_DATA, 'flights-200k.json')
    const { version } = await t.services.data.ingest({ name: 'flights', input: file, actor })
    expect(version.format).toBe('json')
    expect(version.rowCount).toBe(200000)
    expect(version.schema.columns).toEqual([
      { name: 'delay', type: 'integer', nullable: false, storageType: 'BIGINT' },
      { name: 'distance', type: 'integer', nullable: false, storageType: 'BIGINT' },
      { name: 'time', type: 'float', nullable: false, storageType: 'DOUBLE' },
    ])
  })

  it('reads NDJSON, TSV and Parquet; integers mixed with floats are floats; nulls make nullable', async () => {
    const nd = t.file(
      'e.jsonl',
      '{"n":1,"x":1,"ok":true,"at":"2024-01-02T03:04:05"}\n{"n":2,"x":2.5,"ok":null,"at":null}\n',
    )
    const { version } = await t.services.data.ingest({ name: 'events', input: nd, actor })
    expect(version.format).toBe('ndjson')
    expect(version.schema.columns).toEqual([
      { name: 'n', type: 'integer', nullable: false, storageType: 'BIGINT' },
      { name: 'x', type: 'float', nullable: false, storageType: 'DOUBLE' },
      { name: 'ok', type: 'boolean', nullable: true, storageType: 'BOOLEAN' },
      { name: 'at', type: 'datetime', nullable: true, storageType: 'TIMESTAMP' },
    ])
    const tsv = t.file('t.tsv', 'city\tpop\nOslo\t700000\n"Den Haag"\t550000\n')
    const fromTsv = await t.services.data.ingest({ name: 'cities', input: tsv, actor })
    expect((await t.services.data.head('cities', 1, 10)).rows).toEqual([
      { city: 'Oslo', pop: 700000 },
      { city: 'Den Haag', pop: 550000 },
    ])
    // A stored version's Parquet ingests as Parquet with the same schema.
    const parquet = t.file('cities.parquet', await t.artifacts.getBytes(fromTsv.version.digest))
    const again = await t.services.data.ingest({ name: 'cities-copy', input: parquet, actor })
    expect(again.version.schema).toEqual(fromTsv.version.schema)
    expect(again.version.format).toBe('parquet')
  })

  it('ingests a byte stream under the source name it is given', async () => {
    async function* chunks() {
      yield new TextEncoder().encode('a,b\n1,')
      yield new TextEncoder().encode('x\n')
    }
    const { version } = await t.services.data.ingest({
      name: 'streamed',
      input: chunks(),
      sourceName: 'part.csv',
      actor,
    })
    expect(version).toMatchObject({ source: 'part.csv', format: 'csv', rowCount: 1 })
  })

  it('answers NotFound for a missing dataset or version', async () => {
    await expect(t.services.data.getVersion('nope', 'latest')).rejects.toThrow(
      "dataset 'nope' does not exist",
    )
    const a = t.file('a.csv', 'id\n1\n')
    await t.services.data.ingest({ name: 'one', input: a, actor })
    await expect(t.services.data.getVersion('one', 7)).rejects.toMatchObject({
      code: 'RESOURCE_DOES_NOT_EXIST',
      message: "dataset 'one' has no version 7",
    })
  })

  it('stores the profile with the version', async () => {
    const file = t.file('p.csv', 'x,s\n1,a\n2,a\n3,b\n4,\n')
    const { version } = await t.services.data.ingest({ name: 'prof', input: file, actor })
    expect(version.profile?.rowCount).toBe(4)
    expect(version.profile?.columns.map((c) => [c.name, c.count, c.missing, c.distinct])).toEqual([
      ['x', 4, 0, 4],
      ['s', 3, 1, 2],
    ])
    expect(version.profile?.columns[0]).toMatchObject({ min: 1, max: 4, mean: 2.5 })
    expect(await t.services.data.getVersion('prof', 1)).toEqual(version)
  })

  it('publishes data that passes the suite, and quarantines the rows of data that fails it', async () => {
    const suite = parseExpectationSuite({
      name: 'ages',
      expectations: [
        { expectation_type: 'expect_column_values_to_not_be_null', kwargs: { column: 'age' } },
        {
          expectation_type: 'expect_column_values_to_be_between',
          kwargs: { column: 'age', min_value: 0, max_value: 120 },
        },
      ],
    })
    const good = t.file('good.csv', 'id,age\n1,30\n2,41\n')
    const passed = await t.services.data.ingest({ name: 'people', input: good, suite, actor })
    expect(passed.version.version).toBe(1)

    const bad = t.file('bad.csv', 'id,age\n1,30\n2,\n3,150\n4,20\n')
    const error = await t.services.data.ingest({ name: 'people', input: bad, suite, actor }).then(
      () => undefined,
      (e: unknown) => e as { code: string; message: string },
    )
    expect(error?.code).toBe('INVALID_STATE')
    const match = new RegExp(
      `^${bad.replaceAll('/', '\\/')} failed suite 'ages' \\(2 of 2 expectations: expect_column_values_to_not_be_null\\(age\\), expect_column_values_to_be_between\\(age\\)\\) and was not published; its 2 failing rows are quarantined in the artifact store as blob ([0-9a-f]{64})$`,
    ).exec(error?.message ?? '')
    expect(match, error?.message).not.toBeNull()
    expect((await t.services.data.listVersions('people')).map((v) => v.version)).toEqual([1])

    // The quarantined rows, read back from the blob.
    const quarantined = path.join(t.dir, 'q.parquet')
    writeFileSync(quarantined, await t.artifacts.getBytes(match![1]!))
    const engine = await DuckEngine.open()
    try {
      expect(await engine.all(`SELECT * FROM read_parquet('${quarantined}') ORDER BY id`)).toEqual([
        { id: 2, age: null },
        { id: 3, age: 150 },
      ])
    } finally {
      engine.close()
    }
  })

  it('infers CSV types from every row: a late non-number makes the column a string', async () => {
    const rows = Array.from({ length: 30_000 }, (_, i) => `${i},${i}`).join('\n')
    const file = t.file('late.csv', `a,b\n${rows}\n30000,n/a\n`)
    const { version } = await t.services.data.ingest({ name: 'late', input: file, actor })
    expect(version.rowCount).toBe(30_001)
    expect(version.schema.columns.map((c) => [c.name, c.type])).toEqual([
      ['a', 'integer'],
      ['b', 'string'],
    ])
  })

  it('refuses an integer beyond 64 bits, naming the file', async () => {
    const file = t.file('huge.ndjson', '{"n":1}\n{"n":18446744073709551615}\n')
    await expect(t.services.data.ingest({ name: 'huge', input: file, actor })).rejects.toThrow(
      `${file}: column 'n' holds the integer 18446744073709551615, beyond the 64 bits a dataset integer has`,
    )
  })
})
