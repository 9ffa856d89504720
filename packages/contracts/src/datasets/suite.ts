import { z } from 'zod'
import { InvalidParameterError } from '../errors.js'

/**
 * Validation suites in Great Expectations' JSON shape: `{ name?, expectations: [{
 * expectation_type, kwargs, meta? }] }`, with GE's expectation names and kwargs, so that a suite
 * written for GE reads here unchanged (GE 1.x's `type` and `expectation_suite_name` are accepted
 * too). Every expectation is checked against the kwargs of its type; a mistake is reported naming
 * the expectation's index, its type and the kwarg.
 */

const column = z.string().min(1)
const mostly = z.number().min(0).max(1).optional()
/** Numbers, or text for string and datetime columns (ISO-8601). null means unbounded. */
const bound = z.union([z.number(), z.string()]).nullable().optional()
const countBound = z.number().int().min(0).nullable().optional()
const flag = z.boolean().optional()
/** Kwargs GE accepts on every expectation that change how it reports, not what it checks. */
const reporting = {
  result_format: z.unknown().optional(),
  include_config: z.unknown().optional(),
  catch_exceptions: z.unknown().optional(),
  batch_id: z.unknown().optional(),
}

const betweenKwargs = {
  min_value: bound,
  max_value: bound,
  strict_min: flag,
  strict_max: flag,
}

export const EXPECTATION_KWARGS = {
  expect_column_to_exist: z.strictObject({
    column,
    column_index: z.number().int().min(0).nullable().optional(),
    ...reporting,
  }),
  expect_table_columns_to_match_set: z.strictObject({
    column_set: z.array(column),
    exact_match: z.boolean().nullable().optional(),
    ...reporting,
  }),
  expect_column_values_to_be_of_type: z.strictObject({
    column,
    type_: z.string().min(1),
    mostly,
    ...reporting,
  }),
  expect_column_values_to_not_be_null: z.strictObject({ column, mostly, ...reporting }),
  expect_column_values_to_be_between: z.strictObject({
    column,
    ...betweenKwargs,
    mostly,
    ...reporting,
  }),
  expect_column_values_to_be_in_set: z.strictObject({
    column,
    value_set: z.array(z.union([z.string(), z.number(), z.boolean()])),
    mostly,
    ...reporting,
  }),
  expect_column_values_to_match_regex: z.strictObject({
    column,
    regex: z.string(),
    mostly,
    ...reporting,
  }),
  expect_column_values_to_be_unique: z.strictObject({ column, mostly, ...reporting }),
  expect_table_row_count_to_be_between: z.strictObject({
    min_value: countBound,
    max_value: countBound,
    strict_min: flag,
    strict_max: flag,
    ...reporting,
  }),
  expect_column_mean_to_be_between: z.strictObject({ column, ...betweenKwargs, ...reporting }),
  expect_column_median_to_be_between: z.strictObject({ column, ...betweenKwargs, ...reporting }),
  expect_column_stdev_to_be_between: z.strictObject({ column, ...betweenKwargs, ...reporting }),
  expect_column_proportion_of_unique_values_to_be_between: z.strictObject({
    column,
    ...betweenKwargs,
    ...reporting,
  }),
} as const

export type ExpectationType = keyof typeof EXPECTATION_KWARGS
export const EXPECTATION_TYPES = Object.keys(EXPECTATION_KWARGS) as ExpectationType[]

export function isExpectationType(value: unknown): value is ExpectationType {
  return typeof value === 'string' && Object.hasOwn(EXPECTATION_KWARGS, value)
}

/** Expectations that judge each row's value (GE's column map expectations). */
export const COLUMN_MAP_EXPECTATIONS = [
  'expect_column_values_to_be_of_type',
  'expect_column_values_to_not_be_null',
  'expect_column_values_to_be_between',
  'expect_column_values_to_be_in_set',
  'expect_column_values_to_match_regex',
  'expect_column_values_to_be_unique',
] as const satisfies readonly ExpectationType[]

export type ExpectationKwargs<T extends ExpectationType> = z.output<(typeof EXPECTATION_KWARGS)[T]>

export type ExpectationConfig = {
  [T in ExpectationType]: {
    expectation_type: T
    kwargs: ExpectationKwargs<T>
    meta?: Record<string, unknown>
  }
}[ExpectationType]

export interface ExpectationSuite {
  name?: string
  expectations: ExpectationConfig[]
  meta?: Record<string, unknown>
}

const RawExpectation = z.looseObject({
  expectation_type: z.string().optional(),
  type: z.string().optional(),
  kwargs: z.record(z.string(), z.unknown()).optional(),
  meta: z.record(z.string(), z.unknown()).optional(),
})

const RawSuite = z.looseObject({
  name: z.string().optional(),
  expectation_suite_name: z.string().optional(),
  expectations: z.array(z.unknown()),
  meta: z.record(z.string(), z.unknown()).optional(),
})

// Between-style expectations with neither bound check nothing: GE refuses them, and so do we.
const BOUNDED: ReadonlySet<ExpectationType> = new Set([
  'expect_column_values_to_be_between',
  'expect_table_row_count_to_be_between',
  'expect_column_mean_to_be_between',
  'expect_column_median_to_be_between',
  'expect_column_stdev_to_be_between',
  'expect_column_proportion_of_unique_values_to_be_between',
])

interface SuiteIssue {
  path: (string | number)[]
  message: string
}

function issueText(issue: z.core.$ZodIssue): { field: string; message: string } {
  if (issue.code === 'unrecognized_keys') {
    return { field: issue.keys.join(', '), message: 'not a kwarg of this expectation' }
  }
  const field = issue.path.map(String).join('.')
  return { field, message: issue.message }
}

function checkExpectation(raw: unknown, index: number): ExpectationConfig | SuiteIssue {
  const at = `expectations[${index}]`
  const shape = RawExpectation.safeParse(raw)
  if (!shape.success) {
    return { path: ['expectations', index], message: `${at}: must be an object with kwargs` }
  }
  const type = shape.data.expectation_type ?? shape.data.type
  if (type === undefined) {
    return { path: ['expectations', index], message: `${at}: expectation_type is missing` }
  }
  if (!isExpectationType(type)) {
    return {
      path: ['expectations', index, 'expectation_type'],
      message: `${at}: unknown expectation_type '${type}' (supported: ${EXPECTATION_TYPES.join(', ')})`,
    }
  }
  const kwargs = EXPECTATION_KWARGS[type].safeParse(shape.data.kwargs ?? {})
  if (!kwargs.success) {
    const first = kwargs.error.issues[0]!
    const { field, message } = issueText(first)
    return {
      path: ['expectations', index, 'kwargs', ...first.path.map((p) => p as string | number)],
      message: `${at} (${type}): kwargs.${field}: ${message}`,
    }
  }
  const values = kwargs.data as { min_value?: unknown; max_value?: unknown }
  if (BOUNDED.has(type)) {
    const { min_value: min, max_value: max } = values
    if ((min === undefined || min === null) && (max === undefined || max === null)) {
      return {
        path: ['expectations', index, 'kwargs', 'min_value'],
        message: `${at} (${type}): kwargs.min_value, kwargs.max_value: give at least one bound`,
      }
    }
    if (typeof min === 'number' && typeof max === 'number' && min > max) {
      return {
        path: ['expectations', index, 'kwargs', 'min_value'],
        message: `${at} (${type}): kwargs.min_value: ${min} is greater than max_value ${max}`,
      }
    }
  }
  return {
    expectation_type: type,
    kwargs: kwargs.data,
    ...(shape.data.meta === undefined ? {} : { meta: shape.data.meta }),
  } as ExpectationConfig
}

function isIssue(value: ExpectationConfig | SuiteIssue): value is SuiteIssue {
  return 'message' in value && 'path' in value
}

/** The suite schema: checks every expectation's kwargs and yields a typed suite. */
export const ExpectationSuiteSchema = RawSuite.transform((raw, ctx): ExpectationSuite => {
  const expectations: ExpectationConfig[] = []
  raw.expectations.forEach((item, index) => {
    const checked = checkExpectation(item, index)
    if (isIssue(checked)) ctx.addIssue({ code: 'custom', ...checked, input: item })
    else expectations.push(checked)
  })
  const name = raw.name ?? raw.expectation_suite_name
  return {
    ...(name === undefined ? {} : { name }),
    expectations,
    ...(raw.meta === undefined ? {} : { meta: raw.meta }),
  }
})

/**
 * Parses a suite, throwing INVALID_PARAMETER_VALUE whose message starts with `source` and names
 * the first problem: `suite.json: expectations[3] (expect_column_values_to_be_between):
 * kwargs.min_value: …`.
 */
export function parseExpectationSuite(value: unknown, source = 'suite'): ExpectationSuite {
  const parsed = ExpectationSuiteSchema.safeParse(value)
  if (parsed.success) return parsed.data
  const first = parsed.error.issues[0]!
  const message =
    first.code === 'custom' ? first.message : `${issueText(first).field}: ${first.message}`
  throw new InvalidParameterError(`${source}: ${message}`)
}
