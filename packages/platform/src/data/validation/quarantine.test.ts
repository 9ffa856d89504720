import path from 'node:path'
import { parseExpectationSuite } from '@ballast/contracts'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { quoteLiteral } from '../duckdb/duck-engine.js'
import { writeQuarantine } from './quarantine.js'
import { type ParquetFixture, parquetFixture, TEN_ROWS } from './test-support/parquet-fixture.js'

describe('writeQuarantine', () => {
  let fixture: ParquetFixture
  let file: string
  beforeAll(async () => {
    fixture = await parquetFixture()
    file = await fixture.write('ten', TEN_ROWS)
  })
  afterAll(() => fixture.dispose())

  const ids = async (out: string) =>
    (await fixture.engine.all(`SELECT id FROM read_parquet(${quoteLiteral(out)}) ORDER BY id`)).map(
      (r) => r.id,
    )

  it('writes exactly the rows that break a row-level expectation, with all columns', async () => {
    const suite = parseExpectationSuite({
      expectations: [
        // breaks row 10 (null score)
        { expectation_type: 'expect_column_values_to_not_be_null', kwargs: { column: 'score' } },
        // breaks row 8 ('zz'); the null city of row 5 is not unexpected
        {
          expectation_type: 'expect_column_values_to_be_in_set',
          kwargs: { column: 'city', value_set: ['a', 'b', 'c'], mostly: 0.5 },
        },
        // breaks rows 3 ('X9') and 6 ('ab5')
        {
          expectation_type: 'expect_column_values_to_match_regex',
          kwargs: { column: 'code', regex: '^AB' },
        },
        // table-level and statistics expectations select no row
        { expectation_type: 'expect_table_row_count_to_be_between', kwargs: { max_value: 1 } },
        {
          expectation_type: 'expect_column_mean_to_be_between',
          kwargs: { column: 'id', max_value: 0 },
        },
        // a column the data lacks selects no row
        { expectation_type: 'expect_column_values_to_be_unique', kwargs: { column: 'nope' } },
      ],
    })
    const out = path.join(fixture.dir, 'quarantine.parquet')
    expect(await writeQuarantine(fixture.engine, file, suite, out)).toEqual({ rows: 4 })
    expect(await ids(out)).toEqual([3, 6, 8, 10])
    const columns = await fixture.engine.all(
      `SELECT column_name FROM (DESCRIBE SELECT * FROM read_parquet(${quoteLiteral(out)}))`,
    )
    expect(columns.map((c) => c.column_name)).toEqual(['id', 'score', 'city', 'code', 'dup', 'ts'])
  })

  it('includes every occurrence of a duplicated value and writes an empty file when all pass', async () => {
    const unique = parseExpectationSuite({
      expectations: [
        { expectation_type: 'expect_column_values_to_be_unique', kwargs: { column: 'dup' } },
      ],
    })
    const out = path.join(fixture.dir, 'dup.parquet')
    expect(await writeQuarantine(fixture.engine, file, unique, out)).toEqual({ rows: 5 })
    expect(await ids(out)).toEqual([3, 4, 7, 8, 9])

    const passing = parseExpectationSuite({
      expectations: [
        {
          expectation_type: 'expect_column_values_to_be_between',
          kwargs: { column: 'id', min_value: 1, max_value: 10 },
        },
      ],
    })
    const empty = path.join(fixture.dir, 'empty.parquet')
    expect(await writeQuarantine(fixture.engine, file, passing, empty)).toEqual({ rows: 0 })
    expect(await ids(empty)).toEqual([])
  })
})
