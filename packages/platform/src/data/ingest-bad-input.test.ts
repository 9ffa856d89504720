import { mkdirSync, readdirSync, readFileSync } from 'node:fs'
import path from 'node:path'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { ANONYMOUS_ADMIN } from '../governance/actor.js'
import { VEGA_DATA, type TestData, openTestData } from './test-support/open-test-data.js'

const actor = ANONYMOUS_ADMIN

describe('ingesting bad input', () => {
  let t: TestData
  let temp: string
  const savedTmp = process.env.TMPDIR
  beforeEach(async () => {
    t = await openTestData({ maxIngestBytes: 64 * 1024 })
    // The ingest's temporary folders go here, so the test can see that none is left.
    temp = path.join(t.dir, 'tmp')
    mkdirSync(temp)
    process.env.TMPDIR = temp
  })
  afterEach(async () => {
    if (savedTmp === undefined) delete process.env.TMPDIR
    else process.env.TMPDIR = savedTmp
    await t.dispose()
  })

  /** Ingests, expects the error, and checks that nothing of the attempt is left anywhere. */
  async function rejects(
    name: string,
    content: string | Uint8Array,
    expected: { code?: string; message: string },
    options: { where?: string; format?: string } = {},
  ): Promise<void> {
    const file = t.file(name, content)
    const error = await t.services.data
      .ingest({ name: 'bad', input: file, actor, ...options })
      .then(
        () => undefined,
        (e: unknown) => e as { code: string; message: string },
      )
    expect(error?.message).toBe(expected.message.replaceAll('FILE', file))
    expect(error?.code).toBe(expected.code ?? 'INVALID_PARAMETER_VALUE')
    expect(await t.store.db.selectFrom('managed_datasets').selectAll().execute()).toEqual([])
    expect(await t.store.db.selectFrom('dataset_versions').selectAll().execute()).toEqual([])
    expect(readdirSync(temp)).toEqual([])
  }

  it('refuses an empty file', async () => {
    await rejects('empty.csv', '', { message: 'FILE: the file is empty' })
  })

  it('refuses a header-only CSV', async () => {
    await rejects('header.csv', 'a,b\n', {
      message: 'FILE: the file has a header but no data rows',
    })
  })

  it('refuses ragged rows with the line and the column counts', async () => {
    await rejects('ragged.csv', 'a,b\n1,2\n3,4,5\n', {
      message: 'FILE:3: expected 2 columns, found 3',
    })
    await rejects('short.tsv', 'a\tb\n1\t2\n3\t4\n5\n', {
      message: 'FILE:4: expected 2 columns, found 1',
    })
  })

  it('refuses an unterminated quote with its line', async () => {
    await rejects('quote.csv', 'a,b\n1,2\n3,4\n"5,6\n7,8\n', {
      message: 'FILE:4: unterminated quoted value',
    })
  })

  it('refuses an invalid NDJSON line with its line number', async () => {
    await rejects('bad.ndjson', '{"a":1}\n{"a":2}\n{"a":tru}\n{"a":4}\n', {
      message: 'FILE:3: malformed JSON: invalid literal',
    })
  })

  it('refuses a JSON array cut short, naming the record', async () => {
    await rejects('cut.json', '[{"a":1},{"a":2}', {
      message: 'FILE: record 4: malformed JSON: unexpected character',
    })
  })

  it('refuses JSON without records: an empty array, values that are not objects, empty objects', async () => {
    await rejects('none.json', ' [ ] ', { message: 'FILE: the file has no rows' })
    const notRecords =
      'FILE: expected JSON objects with fields (one per record); found other values or objects without fields'
    await rejects('numbers.json', '[1,2]', { message: notRecords })
    await rejects('empty.ndjson', '{}\n{}\n', { message: notRecords })
    await rejects('two.json', '{"a":1} {"a":2}', {
      message: 'FILE:1: malformed JSON: unexpected content after document',
    })
  })

  it('refuses duplicate and empty column names, ignoring case like DuckDB', async () => {
    await rejects('dup.csv', 'id,Id\n1,2\n', {
      message:
        "FILE:1: duplicate column name 'Id' (columns 1 and 2; names are compared ignoring case)",
    })
    await rejects('empty-name.csv', 'a,,c\n1,2,3\n', {
      message: 'FILE:1: column 2 has an empty name',
    })
  })

  it('refuses a JSON field that is an object in one record and a number in another', async () => {
    await rejects('mixed.ndjson', '{"a":1,"b":1}\n{"a":2,"b":{"x":1}}\n', {
      message:
        "FILE: column 'b' mixes value types: UBIGINT in record 1, OBJECT in record 2; a dataset column holds one of integer, float, boolean, string or datetime",
    })
  })

  it('refuses nested values that hold one shape everywhere', async () => {
    await rejects('nested.json', '[{"a":{"x":1}},{"a":{"x":2}}]', {
      message:
        "FILE: column 'a' holds nested values (STRUCT(x BIGINT)); flatten it into columns of integer, float, boolean, string or datetime values",
    })
  })

  it('refuses a truncated Parquet file', async () => {
    const cut = readFileSync(path.join(VEGA_DATA, 'flights-3m.parquet')).subarray(0, 20_000)
    await rejects('cut.parquet', cut, {
      message:
        "FILE: not a readable Parquet file (truncated or corrupt): No magic bytes found at end of file 'FILE'",
    })
  })

  it('refuses a file over the size limit, naming the limit and its setting', async () => {
    await rejects('big.csv', `a\n${'1\n'.repeat(40_000)}`, {
      code: 'REQUEST_LIMIT_EXCEEDED',
      message: 'FILE exceeds the ingest limit of 65536 bytes (server.artifactBodyLimitBytes)',
    })
  })

  it('refuses a byte stream over the size limit as it arrives', async () => {
    async function* chunks() {
      for (let i = 0; i < 100; i++) yield new Uint8Array(1024).fill(0x31)
    }
    await expect(
      t.services.data.ingest({ name: 'bad', input: chunks(), sourceName: 'up.csv', actor }),
    ).rejects.toMatchObject({
      code: 'REQUEST_LIMIT_EXCEEDED',
      message: 'up.csv exceeds the ingest limit of 65536 bytes (server.artifactBodyLimitBytes)',
    })
    expect(readdirSync(temp)).toEqual([])
  })

  it('refuses a where that is not a predicate', async () => {
    const csv = 'a,b\n1,x\n2,y\n'
    await rejects(
      'w1.csv',
      csv,
      {
        message: `invalid where "a > 1; DROP TABLE t": ';' is not allowed: give one predicate`,
      },
      { where: 'a > 1; DROP TABLE t' },
    )
    await rejects(
      'w2.csv',
      csv,
      {
        message: `invalid where "a IN (SELECT 1)": 'SELECT' is not allowed: give a predicate over the columns, without subqueries or statements`,
      },
      { where: 'a IN (SELECT 1)' },
    )
    await rejects(
      'w3.csv',
      csv,
      {
        message: 'invalid where "a + 1": the expression is BIGINT, not a true/false predicate',
      },
      { where: 'a + 1' },
    )
    await rejects(
      'w4.csv',
      csv,
      {
        message: `invalid where "zz > 1": not a predicate over the columns (a, b): Binder Error: Referenced column "zz" not found in FROM clause!`,
      },
      { where: 'zz > 1' },
    )
    await rejects(
      'w5.csv',
      csv,
      {
        message:
          'invalid where "a >": not a predicate over the columns (a, b): Parser Error: syntax error at or near ")"',
      },
      { where: 'a >' },
    )
    await rejects(
      'w6.csv',
      csv,
      { message: 'FILE: the filter "a > 5" selects no rows' },
      { where: 'a > 5' },
    )
  })

  it('refuses a file whose format cannot be told', async () => {
    await rejects('data.txt', 'a\n1\n', {
      message:
        "cannot tell the format of 'FILE' from its name: give the format (csv, tsv, json, ndjson, parquet)",
    })
  })
})
