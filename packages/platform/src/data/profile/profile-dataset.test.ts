import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import path from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { DatasetSchema } from '../dataset-types.js'
import { DuckEngine } from '../duckdb/duck-engine.js'
import { profileDataset } from './profile-dataset.js'
import { writeParquet } from './test-support/parquet-fixture.js'

let engine: DuckEngine
let dir: string

beforeAll(async () => {
  engine = await DuckEngine.open({ threads: 1 })
  dir = mkdtempSync(path.join(tmpdir(), 'ballast-profile-'))
})

afterAll(() => {
  engine.close()
  rmSync(dir, { recursive: true, force: true })
})

const parquet = (name: string, select: string): Promise<[string, DatasetSchema]> =>
  writeParquet(engine, dir, name, select)

describe('profileDataset', () => {
  it('profiles a float column exactly, counting NULL and NaN as missing', async () => {
    const [file, schema] = await parquet(
      'floats',
      `SELECT CAST(x AS DOUBLE) AS x FROM (VALUES ('1'), ('2'), ('2'), ('3'), (NULL), ('NaN'), ('4'), ('10')) t(x)`,
    )
    const profile = await profileDataset(engine, file, schema, { topK: 3, bins: 3 })
    // Expected values from numpy: np.percentile(a, [1, 5, 25, 50, 75, 95, 99]), a.std(ddof=1).
    expect(profile).toEqual({
      rowCount: 8,
      columns: [
        {
          name: 'x',
          type: 'float',
          count: 6,
          missing: 2,
          distinct: 5,
          infinite: 0,
          min: 1,
          max: 10,
          mean: 3.6666666666666665,
          std: 3.265986323710904,
          quantiles: {
            p1: 1.05,
            p5: 1.25,
            p25: 2,
            p50: 2.5,
            p75: 3.75,
            p95: 8.5,
            p99: 9.700000000000001,
          },
          top: [
            { value: '2.0', count: 2 },
            { value: '1.0', count: 1 },
            { value: '3.0', count: 1 },
          ],
          histogram: { edges: [1, 4, 7, 10], counts: [4, 1, 1] },
        },
      ],
    })
  })

  it('counts ±Infinity as present and keeps it out of the numeric summaries', async () => {
    const [file, schema] = await parquet(
      'infinite',
      `SELECT CAST(x AS DOUBLE) AS x FROM (VALUES ('inf'), ('-inf'), ('1'), ('3'), (NULL)) t(x)`,
    )
    const [column] = (await profileDataset(engine, file, schema, { bins: 2 })).columns
    expect(column).toMatchObject({ count: 4, missing: 1, distinct: 4, infinite: 2 })
    expect(column).toMatchObject({ min: 1, max: 3, mean: 2, std: Math.SQRT2 })
    expect(column?.histogram).toEqual({ edges: [1, 2, 3], counts: [1, 1] })
    expect(column?.top.map((t) => t.value)).toEqual(['-inf', '1.0', '3.0', 'inf'])
  })

  it('bins values that lie on an edge as numpy does, though division rounds them below it', async () => {
    const [file, schema] = await parquet(
      'on-edges',
      `SELECT CAST(x AS DOUBLE) AS x FROM (VALUES ('0'), ('0.13999999999999999'),
         ('0.27999999999999997'), ('0.42'), ('0.5599999999999999'), ('0.7')) t(x)`,
    )
    const [column] = (await profileDataset(engine, file, schema, { bins: 5 })).columns
    // numpy: np.histogram(a, bins=5)
    expect(column?.histogram).toEqual({
      edges: [
        0, 0.13999999999999999, 0.27999999999999997, 0.41999999999999993, 0.5599999999999999, 0.7,
      ],
      counts: [1, 1, 1, 1, 2],
    })
  })

  it('summarizes integers beyond the range of BIGINT', async () => {
    const [file, schema] = await parquet(
      'huge',
      `SELECT CAST(u AS UBIGINT) AS u FROM (VALUES ('2'), ('18446744073709551615')) t(u)`,
    )
    const [column] = (await profileDataset(engine, file, schema, { bins: 2 })).columns
    expect(column).toMatchObject({ min: 2, max: 2 ** 64, mean: 2 ** 63 })
    expect(column?.histogram).toEqual({ edges: [2, 2 ** 63, 2 ** 64], counts: [1, 1] })
    expect(column?.top.map((t) => t.value)).toEqual(['2', '18446744073709551615'])
  })

  it('finds quantiles across the whole double range, where equal-width bins do not exist', async () => {
    const [file, schema] = await parquet(
      'extremes',
      `SELECT CAST(x AS DOUBLE) AS x FROM (VALUES ('-1.7e308'), ('0'), ('1.7e308')) t(x)`,
    )
    const [column] = (await profileDataset(engine, file, schema)).columns
    expect(column).toMatchObject({ count: 3, min: -1.7e308, max: 1.7e308 })
    expect(column?.quantiles).toMatchObject({ p25: -0.85e308, p50: 0, p75: 0.85e308 })
    expect(column).not.toHaveProperty('histogram')
  })

  it('profiles strings and booleans by counts, ties broken by value', async () => {
    const [file, schema] = await parquet(
      'categorical',
      `SELECT s AS "my ""col""", b FROM (VALUES ('b', true), ('a', false), ('b', true),
         (NULL, NULL), ('c', true), ('a', true)) t(s, b)`,
    )
    const profile = await profileDataset(engine, file, schema)
    expect(profile).toEqual({
      rowCount: 6,
      columns: [
        {
          name: 'my "col"',
          type: 'string',
          count: 5,
          missing: 1,
          distinct: 3,
          top: [
            { value: 'a', count: 2 },
            { value: 'b', count: 2 },
            { value: 'c', count: 1 },
          ],
        },
        {
          name: 'b',
          type: 'boolean',
          count: 5,
          missing: 1,
          distinct: 2,
          top: [
            { value: 'true', count: 4 },
            { value: 'false', count: 1 },
          ],
        },
      ],
    })
  })

  it('profiles datetimes as ISO text with quantiles and histogram in epoch milliseconds', async () => {
    const [file, schema] = await parquet(
      'datetimes',
      `SELECT CAST(t AS TIMESTAMP) AS t, CAST(d AS DATE) AS d FROM (VALUES
         ('2001-01-01 00:00:00', '2001-01-03'), ('2001-01-01 00:00:01.5', NULL),
         ('2001-01-02 00:00:00', '2001-01-01'), (NULL, '2001-01-01')) v(t, d)`,
    )
    const [t, d] = (await profileDataset(engine, file, schema, { bins: 2 })).columns
    const day = 978307200000
    expect(t).toEqual({
      name: 't',
      type: 'datetime',
      count: 3,
      missing: 1,
      distinct: 3,
      min: '2001-01-01T00:00:00.000Z',
      max: '2001-01-02T00:00:00.000Z',
      mean: (3 * day + 1500 + 86_400_000) / 3,
      // numpy: np.array([0, 1500, 86400000.]).std(ddof=1)
      std: 49882630.25092001,
      quantiles: expect.objectContaining({ p50: day + 1500, p25: day + 750 }) as object,
      top: [
        { value: '2001-01-01 00:00:00', count: 1 },
        { value: '2001-01-01 00:00:01.5', count: 1 },
        { value: '2001-01-02 00:00:00', count: 1 },
      ],
      histogram: { edges: [day, day + 43_200_000, day + 86_400_000], counts: [2, 1] },
    })
    expect(d).toMatchObject({
      type: 'datetime',
      count: 3,
      min: '2001-01-01T00:00:00.000Z',
      max: '2001-01-03T00:00:00.000Z',
      top: [
        { value: '2001-01-01', count: 2 },
        { value: '2001-01-03', count: 1 },
      ],
    })
  })

  it('handles an all-null column, a single row and a constant column', async () => {
    const [file, schema] = await parquet(
      'edges',
      `SELECT CAST(NULL AS DOUBLE) AS none, CAST(7 AS BIGINT) AS seven FROM range(3)`,
    )
    const [none, seven] = (await profileDataset(engine, file, schema)).columns
    expect(none).toEqual({
      name: 'none',
      type: 'float',
      count: 0,
      missing: 3,
      distinct: 0,
      infinite: 0,
      top: [],
    })
    expect(seven).toEqual({
      name: 'seven',
      type: 'integer',
      count: 3,
      missing: 0,
      distinct: 1,
      min: 7,
      max: 7,
      mean: 7,
      std: 0,
      quantiles: { p1: 7, p5: 7, p25: 7, p50: 7, p75: 7, p95: 7, p99: 7 },
      top: [{ value: '7', count: 3 }],
      histogram: { edges: [7, 7], counts: [3] },
    })

    const [one, oneSchema] = await parquet('one', `SELECT CAST(42 AS INTEGER) AS n`)
    const [single] = (await profileDataset(engine, one, oneSchema)).columns
    // The sample std of one value does not exist, so it is left out (never NaN or null).
    expect(single).not.toHaveProperty('std')
    expect(single).toMatchObject({ count: 1, min: 42, max: 42, mean: 42 })
    expect(single?.histogram).toEqual({ edges: [42, 42], counts: [1] })
  })

  it('profiles an empty table', async () => {
    const [file, schema] = await parquet(
      'empty',
      `SELECT CAST(1 AS BIGINT) AS n, 'x' AS s WHERE false`,
    )
    expect(await profileDataset(engine, file, schema)).toEqual({
      rowCount: 0,
      columns: [
        { name: 'n', type: 'integer', count: 0, missing: 0, distinct: 0, top: [] },
        { name: 's', type: 'string', count: 0, missing: 0, distinct: 0, top: [] },
      ],
    })
  })

  it('rejects options out of range, naming the option', async () => {
    const [file, schema] = await parquet('opt', `SELECT 1 AS n`)
    await expect(profileDataset(engine, file, schema, { topK: 0 })).rejects.toThrow(
      'invalid profile option topK 0: expected an integer from 1 to 1000',
    )
    await expect(profileDataset(engine, file, schema, { bins: 2.5 })).rejects.toThrow(
      'invalid profile option bins 2.5',
    )
  })
})
