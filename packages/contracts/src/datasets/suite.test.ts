import { describe, expect, it } from 'vitest'
import { ExpectationSuiteSchema, parseExpectationSuite } from './suite.js'

const between = {
  expectation_type: 'expect_column_values_to_be_between',
  kwargs: { column: 'delay', min_value: -100, max_value: 2000, mostly: 0.99 },
  meta: { notes: 'delays in minutes' },
}

describe('expectation suites', () => {
  it("reads GE's JSON shape, keeping kwargs and meta as written", () => {
    expect(parseExpectationSuite({ name: 'flights', expectations: [between] })).toEqual({
      name: 'flights',
      expectations: [between],
    })
  })

  it("accepts GE's suite name field, GE 1.x's `type`, and GE's reporting kwargs", () => {
    const suite = parseExpectationSuite({
      expectation_suite_name: 'legacy',
      data_asset_type: null,
      expectations: [
        { type: 'expect_column_to_exist', kwargs: { column: 'a', result_format: 'BASIC' } },
      ],
    })
    expect(suite).toEqual({
      name: 'legacy',
      expectations: [
        {
          expectation_type: 'expect_column_to_exist',
          kwargs: { column: 'a', result_format: 'BASIC' },
        },
      ],
    })
  })

  it('names the index, type and kwarg of a mistake', () => {
    const cases: Array<[unknown, string]> = [
      [
        { expectations: [between, { expectation_type: 'expect_column_to_be_purple', kwargs: {} }] },
        "suite.json: expectations[1]: unknown expectation_type 'expect_column_to_be_purple'",
      ],
      [
        { expectations: [{ ...between, kwargs: { ...between.kwargs, mostly: 1.5 } }] },
        'suite.json: expectations[0] (expect_column_values_to_be_between): kwargs.mostly: ',
      ],
      [
        { expectations: [{ ...between, kwargs: { column: 'delay', min_val: 1 } }] },
        'suite.json: expectations[0] (expect_column_values_to_be_between): kwargs.min_val: not a kwarg of this expectation',
      ],
      [
        { expectations: [{ ...between, kwargs: { column: 'delay' } }] },
        'suite.json: expectations[0] (expect_column_values_to_be_between): kwargs.min_value, kwargs.max_value: give at least one bound',
      ],
      [
        { expectations: [{ ...between, kwargs: { column: 'delay', min_value: 5, max_value: 1 } }] },
        'suite.json: expectations[0] (expect_column_values_to_be_between): kwargs.min_value: 5 is greater than max_value 1',
      ],
      [
        {
          expectations: [
            { expectation_type: 'expect_column_values_to_be_in_set', kwargs: { column: 'a' } },
          ],
        },
        'suite.json: expectations[0] (expect_column_values_to_be_in_set): kwargs.value_set: ',
      ],
      [
        {
          expectations: [
            { expectation_type: 'expect_column_values_to_not_be_null', kwargs: { column: '' } },
          ],
        },
        'suite.json: expectations[0] (expect_column_values_to_not_be_null): kwargs.column: ',
      ],
      [
        { expectations: [{ kwargs: {} }] },
        'suite.json: expectations[0]: expectation_type is missing',
      ],
      [{ name: 'x' }, 'suite.json: expectations: '],
    ]
    for (const [input, message] of cases) {
      let thrown: unknown
      try {
        parseExpectationSuite(input, 'suite.json')
      } catch (error) {
        thrown = error
      }
      expect(thrown, message).toMatchObject({ code: 'INVALID_PARAMETER_VALUE' })
      expect((thrown as Error).message.startsWith(message), (thrown as Error).message).toBe(true)
    }
  })

  it('is a zod schema whose issues point at the kwarg', () => {
    const parsed = ExpectationSuiteSchema.safeParse({
      expectations: [
        { expectation_type: 'expect_table_row_count_to_be_between', kwargs: { min_value: -1 } },
      ],
    })
    expect(parsed.success).toBe(false)
    expect(parsed.error?.issues[0]?.path).toEqual(['expectations', 0, 'kwargs', 'min_value'])
  })
})
