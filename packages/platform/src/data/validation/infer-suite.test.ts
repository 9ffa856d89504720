import { fileURLToPath } from 'node:url'
import { parseExpectationSuite } from '@ballast/contracts'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { DatasetProfile, DatasetSchema } from '../dataset-types.js'
import { quoteLiteral } from '../duckdb/duck-engine.js'
import { profileDataset } from '../profile/index.js'
import { describeParquet } from './column-types.js'
import { inferSuite } from './infer-suite.js'
import { type ParquetFixture, parquetFixture } from './test-support/parquet-fixture.js'
import { validateDataset } from './validate-dataset.js'

const WEATHER = fileURLToPath(
  new URL('../../../../../node_modules/vega-datasets/data/seattle-weather.csv', import.meta.url),
)

describe('inferSuite on seattle-weather.csv', () => {
  let fixture: ParquetFixture
  let file: string
  let schema: DatasetSchema
  let profile: DatasetProfile
  beforeAll(async () => {
    fixture = await parquetFixture()
    file = await fixture.write('weather', `SELECT * FROM read_csv(${quoteLiteral(WEATHER)})`)
    schema = await describeParquet(fixture.engine, file)
    profile = await profileDataset(fixture.engine, file, schema)
  })
  afterAll(() => fixture.dispose())

  it('infers types, nullability, ranges, the weather domain and a ±50% row-count band', () => {
    const suite = inferSuite(schema, profile, { name: 'weather' })
    expect(suite.name).toBe('weather')
    expect(suite.expectations.slice(0, 2)).toEqual([
      {
        expectation_type: 'expect_table_columns_to_match_set',
        kwargs: {
          column_set: ['date', 'precipitation', 'temp_max', 'temp_min', 'wind', 'weather'],
          exact_match: true,
        },
      },
      {
        expectation_type: 'expect_table_row_count_to_be_between',
        kwargs: { min_value: 730, max_value: 2192 },
      },
    ])
    const forColumn = (name: string) =>
      suite.expectations
        .filter((e) => 'column' in e.kwargs && e.kwargs.column === name)
        .map((e) => [e.expectation_type, e.kwargs])
    expect(forColumn('date')).toEqual([
      ['expect_column_values_to_be_of_type', { column: 'date', type_: 'datetime' }],
      ['expect_column_values_to_not_be_null', { column: 'date' }],
    ])
    expect(forColumn('temp_max')).toEqual([
      ['expect_column_values_to_be_of_type', { column: 'temp_max', type_: 'float' }],
      ['expect_column_values_to_not_be_null', { column: 'temp_max' }],
      [
        'expect_column_values_to_be_between',
        { column: 'temp_max', min_value: -1.6, max_value: 35.6 },
      ],
    ])
    expect(forColumn('weather')).toEqual([
      ['expect_column_values_to_be_of_type', { column: 'weather', type_: 'string' }],
      ['expect_column_values_to_not_be_null', { column: 'weather' }],
      [
        'expect_column_values_to_be_in_set',
        { column: 'weather', value_set: ['drizzle', 'fog', 'rain', 'snow', 'sun'] },
      ],
    ])
  })

  it('gives a suite, valid as JSON, that the same data passes in full', async () => {
    const text = JSON.stringify(inferSuite(schema, profile), null, 2)
    const suite = parseExpectationSuite(JSON.parse(text))
    const validation = await validateDataset(fixture.engine, file, suite, schema)
    expect(validation.results.filter((r) => !r.success)).toEqual([])
    expect(validation.statistics).toEqual({
      evaluated_expectations: 19,
      successful_expectations: 19,
      unsuccessful_expectations: 0,
      success_percent: 100,
    })
  })

  it('leaves out value sets when the top values do not cover the column, or it has too many', () => {
    const weather = profile.columns.find((c) => c.name === 'weather')!
    const partialTop: DatasetProfile = {
      ...profile,
      columns: profile.columns.map((c) => (c === weather ? { ...c, top: c.top.slice(0, 2) } : c)),
    }
    const types = (p: DatasetProfile, max?: number) =>
      inferSuite(schema, p, max === undefined ? {} : { maxCategories: max }).expectations.map(
        (e) => e.expectation_type,
      )
    expect(types(partialTop)).not.toContain('expect_column_values_to_be_in_set')
    expect(types(profile, 4)).not.toContain('expect_column_values_to_be_in_set')
    expect(types(profile, 5)).toContain('expect_column_values_to_be_in_set')
  })
})
