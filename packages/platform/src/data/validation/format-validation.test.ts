import { describe, expect, it } from 'vitest'
import { formatExpectationLine, formatValidation } from './format-validation.js'
import { summarize } from './validation-result.js'

describe('formatValidation', () => {
  it('prints one line per expectation with the mark, observed value and unexpected counts', () => {
    const validation = summarize(
      [
        {
          expectation_type: 'expect_table_columns_to_match_set',
          kwargs: { column_set: ['a', 'c'] },
          success: false,
          result: {
            observed_value: ['a', 'b'],
            details: { mismatched: { unexpected: ['b'], missing: ['c'] } },
          },
        },
        {
          expectation_type: 'expect_column_values_to_be_in_set',
          kwargs: { column: 'city', value_set: ['x'] },
          success: false,
          result: {
            element_count: 10,
            missing_count: 2,
            unexpected_count: 7,
            unexpected_percent: 87.5,
            partial_unexpected_list: ['a\nb', 'c', 'd', 'e', 'f', 'g', 'h'],
          },
        },
        {
          expectation_type: 'expect_column_mean_to_be_between',
          kwargs: { column: 'z', min_value: 0 },
          success: false,
          result: {},
          exception_info: {
            raised_exception: true,
            exception_message: "column 'z' is not in the dataset",
          },
        },
        {
          expectation_type: 'expect_column_stdev_to_be_between',
          kwargs: { column: 'v', min_value: 0 },
          success: true,
          result: { observed_value: 2.0000004 },
        },
      ],
      'demo',
    )
    expect(formatValidation(validation)).toBe(
      '✗ expect_table_columns_to_match_set: observed ["a", "b"]; missing ["c"]; unexpected ["b"]\n' +
        '✗ expect_column_values_to_be_in_set city: unexpected 7 of 8 (87.5%), e.g. "a\\nb", "c", "d", "e", "f", …\n' +
        "✗ expect_column_mean_to_be_between z: column 'z' is not in the dataset\n" +
        '✓ expect_column_stdev_to_be_between v: observed 2\n' +
        'failed: 3 of 4 expectations not met\n',
    )
  })

  it('shows the nulls of not_be_null as a count only', () => {
    expect(
      formatExpectationLine({
        expectation_type: 'expect_column_values_to_not_be_null',
        kwargs: { column: 'x' },
        success: false,
        result: {
          element_count: 4,
          unexpected_count: 1,
          unexpected_percent: 25,
          partial_unexpected_list: [null],
        },
      }),
    ).toBe('✗ expect_column_values_to_not_be_null x: unexpected 1 of 4 (25%)')
  })
})
