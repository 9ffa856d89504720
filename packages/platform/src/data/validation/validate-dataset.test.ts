import { parseExpectationSuite } from '@ballast/contracts'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { type ParquetFixture, parquetFixture, TEN_ROWS } from './test-support/parquet-fixture.js'
import { validateDataset } from './validate-dataset.js'
import type { ExpectationResult } from './validation-result.js'

describe('validateDataset', () => {
  let fixture: ParquetFixture
  let file: string
  beforeAll(async () => {
    fixture = await parquetFixture()
    file = await fixture.write('ten', TEN_ROWS)
  })
  afterAll(() => fixture.dispose())

  async function check(
    expectation_type: string,
    kwargs: Record<string, unknown>,
  ): Promise<ExpectationResult> {
    const suite = parseExpectationSuite({ expectations: [{ expectation_type, kwargs }] })
    const validation = await validateDataset(fixture.engine, file, suite)
    return validation.results[0]!
  }

  it('between: unexpected values with GE counts; nulls are ignored', async () => {
    const result = await check('expect_column_values_to_be_between', {
      column: 'score',
      min_value: 2,
      max_value: 8,
    })
    expect(result).toEqual({
      expectation_type: 'expect_column_values_to_be_between',
      kwargs: { column: 'score', min_value: 2, max_value: 8 },
      success: false,
      result: {
        element_count: 10,
        unexpected_count: 2,
        unexpected_percent: (2 / 9) * 100,
        partial_unexpected_list: [1, 9],
        missing_count: 1,
        missing_percent: 10,
        unexpected_percent_total: 20,
        unexpected_percent_nonmissing: (2 / 9) * 100,
      },
    })
    const all = await check('expect_column_values_to_be_between', {
      column: 'score',
      min_value: 1,
      max_value: 9,
    })
    expect(all.success).toBe(true)
    expect(all.result).toMatchObject({ unexpected_count: 0, missing_count: 1 })
    expect(all.result.partial_unexpected_list).toEqual([])
  })

  it('between: strict bounds, one-sided bounds and ISO bounds on timestamps', async () => {
    const strict = await check('expect_column_values_to_be_between', {
      column: 'id',
      min_value: 1,
      max_value: 10,
      strict_min: true,
      strict_max: true,
    })
    expect(strict.result.partial_unexpected_list).toEqual([1, 10])
    const upper = await check('expect_column_values_to_be_between', {
      column: 'id',
      max_value: 3,
    })
    expect(upper.result.unexpected_count).toBe(7)
    const dates = await check('expect_column_values_to_be_between', {
      column: 'ts',
      min_value: '2001-01-02',
      max_value: '2001-01-09T00:00:00',
    })
    expect(dates.result.partial_unexpected_list).toEqual([
      '2001-01-01 00:00:00',
      '2001-01-10 00:00:00',
    ])
  })

  it('mostly: passes at exactly the fraction of non-null values that pass, fails above it', async () => {
    // id 1 breaks min_value 2: 9 of 10 values pass.
    const at = await check('expect_column_values_to_be_between', {
      column: 'id',
      min_value: 2,
      mostly: 0.9,
    })
    expect(at.success).toBe(true)
    const above = await check('expect_column_values_to_be_between', {
      column: 'id',
      min_value: 2,
      mostly: 0.9000001,
    })
    expect(above.success).toBe(false)
    // score 1 breaks min_value 2; the null does not count: 8 of 9.
    const nonNull = await check('expect_column_values_to_be_between', {
      column: 'score',
      min_value: 2,
      mostly: 8 / 9,
    })
    expect(nonNull.success).toBe(true)
  })

  it('in_set, match_regex (search semantics) and unique', async () => {
    const inSet = await check('expect_column_values_to_be_in_set', {
      column: 'city',
      value_set: ['a', 'b', 'c'],
    })
    expect(inSet.success).toBe(false)
    expect(inSet.result).toMatchObject({
      element_count: 10,
      missing_count: 1,
      unexpected_count: 1,
      partial_unexpected_list: ['zz'],
    })
    const regex = await check('expect_column_values_to_match_regex', {
      column: 'code',
      regex: 'B\\d',
    })
    expect(regex.result).toMatchObject({
      unexpected_count: 2,
      unexpected_percent: (2 / 9) * 100,
      partial_unexpected_list: ['X9', 'ab5'],
    })
    const anchored = await check('expect_column_values_to_match_regex', {
      column: 'code',
      regex: '^AB\\d$',
      mostly: 0.7,
    })
    expect(anchored).toMatchObject({ success: true, result: { unexpected_count: 2 } })
    const unique = await check('expect_column_values_to_be_unique', { column: 'dup' })
    expect(unique).toMatchObject({
      success: false,
      result: { unexpected_count: 5, partial_unexpected_list: [3, 3, 6, 6, 6] },
    })
    expect((await check('expect_column_values_to_be_unique', { column: 'id' })).success).toBe(true)
  })

  it('not_be_null counts nulls over all rows, with mostly', async () => {
    const result = await check('expect_column_values_to_not_be_null', { column: 'score' })
    expect(result).toMatchObject({
      success: false,
      result: {
        element_count: 10,
        unexpected_count: 1,
        unexpected_percent: 10,
        partial_unexpected_list: [null],
      },
    })
    expect(result.result.missing_count).toBeUndefined()
    const mostly = await check('expect_column_values_to_not_be_null', {
      column: 'score',
      mostly: 0.9,
    })
    expect(mostly.success).toBe(true)
  })

  it('types by our names and GE aliases; the observed value is the logical type', async () => {
    expect(
      await check('expect_column_values_to_be_of_type', { column: 'score', type_: 'int64' }),
    ).toMatchObject({ success: true, result: { observed_value: 'integer' } })
    expect(
      (await check('expect_column_values_to_be_of_type', { column: 'city', type_: 'str' })).success,
    ).toBe(true)
    expect(
      (await check('expect_column_values_to_be_of_type', { column: 'ts', type_: 'datetime64' }))
        .success,
    ).toBe(true)
    expect(
      await check('expect_column_values_to_be_of_type', { column: 'score', type_: 'FLOAT' }),
    ).toMatchObject({ success: false, result: { observed_value: 'integer' } })
    await expect(
      check('expect_column_values_to_be_of_type', { column: 'score', type_: 'widget' }),
    ).rejects.toThrow(
      "expectations[0] (expect_column_values_to_be_of_type): kwargs.type_: unknown type 'widget'",
    )
  })

  it('table and column existence', async () => {
    const names = ['id', 'score', 'city', 'code', 'dup', 'ts']
    expect(await check('expect_table_columns_to_match_set', { column_set: names })).toEqual(
      expect.objectContaining({ success: true, result: { observed_value: names } }),
    )
    const mismatch = await check('expect_table_columns_to_match_set', {
      column_set: ['id', 'score', 'city', 'code', 'dup', 'extra'],
    })
    expect(mismatch).toMatchObject({
      success: false,
      result: { details: { mismatched: { unexpected: ['ts'], missing: ['extra'] } } },
    })
    const subset = await check('expect_table_columns_to_match_set', {
      column_set: ['id', 'ts'],
      exact_match: false,
    })
    expect(subset.success).toBe(true)
    expect((await check('expect_column_to_exist', { column: 'city' })).success).toBe(true)
    expect((await check('expect_column_to_exist', { column: 'nope' })).success).toBe(false)
    expect(
      (await check('expect_column_to_exist', { column: 'city', column_index: 2 })).success,
    ).toBe(true)
    expect(
      (await check('expect_column_to_exist', { column: 'city', column_index: 0 })).success,
    ).toBe(false)
  })

  it('row count, mean, median, stdev and proportion of unique values', async () => {
    expect(
      await check('expect_table_row_count_to_be_between', { min_value: 5, max_value: 10 }),
    ).toMatchObject({ success: true, result: { observed_value: 10 } })
    expect(
      (
        await check('expect_table_row_count_to_be_between', {
          min_value: 5,
          max_value: 10,
          strict_max: true,
        })
      ).success,
    ).toBe(false)
    expect(
      await check('expect_column_mean_to_be_between', { column: 'id', min_value: 5.5 }),
    ).toMatchObject({ success: true, result: { observed_value: 5.5 } })
    expect(
      await check('expect_column_mean_to_be_between', {
        column: 'id',
        min_value: 5.5,
        strict_min: true,
      }),
    ).toMatchObject({ success: false })
    // Nine scores 1..9: the middle one; ten ids: the mean of the two middles.
    expect(
      await check('expect_column_median_to_be_between', { column: 'score', max_value: 5 }),
    ).toMatchObject({ success: true, result: { observed_value: 5 } })
    expect(
      await check('expect_column_median_to_be_between', { column: 'id', max_value: 5 }),
    ).toMatchObject({ success: false, result: { observed_value: 5.5 } })
    const stdev = await check('expect_column_stdev_to_be_between', { column: 'id', min_value: 3 })
    expect(stdev.success).toBe(true)
    expect(stdev.result.observed_value).toBeCloseTo(Math.sqrt(55 / 6), 12)
    expect(
      await check('expect_column_proportion_of_unique_values_to_be_between', {
        column: 'dup',
        min_value: 0.8,
      }),
    ).toMatchObject({ success: false, result: { observed_value: 0.7 } })
  })

  it('a missing column or a non-numeric statistic fails the expectation, naming why', async () => {
    expect(
      await check('expect_column_values_to_be_between', { column: 'nope', min_value: 1 }),
    ).toEqual({
      expectation_type: 'expect_column_values_to_be_between',
      kwargs: { column: 'nope', min_value: 1 },
      success: false,
      result: {},
      exception_info: {
        raised_exception: true,
        exception_message: "column 'nope' is not in the dataset",
      },
    })
    expect(
      (await check('expect_column_mean_to_be_between', { column: 'city', min_value: 1 }))
        .exception_info?.exception_message,
    ).toBe("column 'city' is string, not numeric")
  })

  it('a value that does not fit the column, or a bad regex, is a suite error', async () => {
    await expect(
      check('expect_column_values_to_be_between', { column: 'score', min_value: 'abc' }),
    ).rejects.toThrow(
      `expectations[0] (expect_column_values_to_be_between): kwargs.min_value: expected a number for integer column 'score', got "abc"`,
    )
    await expect(
      check('expect_column_values_to_match_regex', { column: 'code', regex: '(' }),
    ).rejects.toMatchObject({
      code: 'INVALID_PARAMETER_VALUE',
      message: expect.stringContaining(
        'expectations[0] (expect_column_values_to_match_regex): kwargs.regex: invalid regular expression "("',
      ),
    })
  })

  it('treats NaN in a float column as missing, as pandas and the profiles do', async () => {
    const nan = await fixture.write(
      'nan',
      "SELECT * FROM (VALUES (1.5), ('NaN'::DOUBLE), (NULL), (4.5), ('NaN'::DOUBLE)) AS t(f)",
    )
    const suite = parseExpectationSuite({
      expectations: [
        { expectation_type: 'expect_column_values_to_not_be_null', kwargs: { column: 'f' } },
        {
          expectation_type: 'expect_column_values_to_be_between',
          kwargs: { column: 'f', min_value: 0, max_value: 4 },
        },
        {
          expectation_type: 'expect_column_mean_to_be_between',
          kwargs: { column: 'f', min_value: 0 },
        },
        { expectation_type: 'expect_column_values_to_be_unique', kwargs: { column: 'f' } },
      ],
    })
    const [notNull, between, mean, unique] = (await validateDataset(fixture.engine, nan, suite))
      .results
    expect(notNull!.result).toMatchObject({ element_count: 5, unexpected_count: 3 })
    expect(between!.result).toMatchObject({
      missing_count: 3,
      unexpected_count: 1,
      partial_unexpected_list: [4.5],
    })
    expect(mean!.result.observed_value).toBe(3)
    expect(unique!.success).toBe(true)
  })

  it('caps partial_unexpected_list at 20 values, in file order', async () => {
    const hundred = await fixture.write('hundred', 'SELECT range AS v FROM range(100)')
    const suite = parseExpectationSuite({
      name: 'caps',
      expectations: [
        {
          expectation_type: 'expect_column_values_to_be_between',
          kwargs: { column: 'v', max_value: 10 },
        },
        {
          expectation_type: 'expect_column_values_to_be_in_set',
          kwargs: { column: 'v', value_set: [0, 1] },
        },
        { expectation_type: 'expect_table_row_count_to_be_between', kwargs: { min_value: 1 } },
      ],
    })
    const validation = await validateDataset(fixture.engine, hundred, suite)
    const [between, inSet] = validation.results
    expect(between!.result.unexpected_count).toBe(89)
    expect(between!.result.partial_unexpected_list).toEqual(
      Array.from({ length: 20 }, (_, i) => 11 + i),
    )
    expect(inSet!.result.unexpected_count).toBe(98)
    expect(inSet!.result.partial_unexpected_list).toEqual(
      Array.from({ length: 20 }, (_, i) => 2 + i),
    )
    expect(validation).toMatchObject({
      success: false,
      suite_name: 'caps',
      statistics: {
        evaluated_expectations: 3,
        successful_expectations: 1,
        unsuccessful_expectations: 2,
        success_percent: (1 / 3) * 100,
      },
    })
  })
})
