import type { ExpectationSuite } from '@ballast/contracts'
import type { DatasetSchema } from '../dataset-types.js'
import { type DuckEngine, quoteLiteral } from '../duckdb/duck-engine.js'
import { describeParquet } from './column-types.js'
import { type ExpectationStep, planExpectation, ROW_COUNT_ALIAS } from './expectation-plan.js'
import { jsonValue, kwargError } from './expectation-sql.js'
import {
  type ExpectationResult,
  PARTIAL_UNEXPECTED_LIMIT,
  summarize,
  type ValidationResult,
} from './validation-result.js'

/** The FROM item that reads a Parquet file. */
export function parquetSource(parquetPath: string): string {
  return `read_parquet(${quoteLiteral(parquetPath)})`
}

/**
 * Validates a Parquet file against a suite. The aggregates of all expectations are computed in one
 * scan; medians take a grouped query each, and each failing column map expectation a query that
 * stops at its first 20 unexpected values. `schema` defaults to the file's own.
 */
export async function validateDataset(
  engine: DuckEngine,
  parquetPath: string,
  suite: ExpectationSuite,
  schema?: DatasetSchema,
): Promise<ValidationResult> {
  const source = parquetSource(parquetPath)
  const columns = schema ?? (await describeParquet(engine, parquetPath))
  await checkRegexes(engine, suite)
  const steps = suite.expectations.map((e, i) => planExpectation(e, i, columns, source))

  const aggregates = Object.assign({}, ...steps.map((s) => s.aggregates)) as Record<string, string>
  const selects = [
    `count(*) AS ${ROW_COUNT_ALIAS}`,
    ...Object.entries(aggregates).map(([alias, sql]) => `${sql} AS ${alias}`),
  ]
  const [[stats = {}], ...separate] = await Promise.all([
    engine.all(`SELECT ${selects.join(', ')} FROM ${source}`),
    ...steps
      .flatMap((s) => Object.entries(s.queries ?? {}))
      .map(async ([alias, sql]) => {
        const [row] = await engine.all(sql)
        return { [alias]: row?.v ?? null }
      }),
  ])
  Object.assign(stats, ...separate)

  const failing = steps.flatMap((step, i) => {
    const unexpected = numberAt(stats, `e${i}_u`)
    return step.unexpected !== undefined && unexpected > 0 ? [{ index: i, step }] : []
  })
  const partials = await readPartials(engine, source, failing)

  const results = steps.map((step, i): ExpectationResult => {
    const expectation = suite.expectations[i]!
    return {
      expectation_type: expectation.expectation_type,
      kwargs: expectation.kwargs,
      ...(expectation.meta === undefined ? {} : { meta: expectation.meta }),
      ...step.finish(stats, partials.get(i) ?? []),
    }
  })
  return summarize(results, suite.name)
}

function numberAt(row: Record<string, unknown>, key: string): number {
  const value = row[key]
  return value === undefined || value === null ? 0 : Number(value)
}

/** Invalid regexes are a suite error, found before any data is read. */
async function checkRegexes(engine: DuckEngine, suite: ExpectationSuite): Promise<void> {
  for (const [index, expectation] of suite.expectations.entries()) {
    if (expectation.expectation_type !== 'expect_column_values_to_match_regex') continue
    try {
      await engine.all(`SELECT regexp_matches('', ${quoteLiteral(expectation.kwargs.regex)})`)
    } catch (error) {
      const reason = error instanceof Error ? error.message.replace(/^.*?Error: /, '') : ''
      throw kwargError(
        { index, type: expectation.expectation_type },
        'regex',
        `invalid regular expression ${JSON.stringify(expectation.kwargs.regex)}: ${reason}`,
      )
    }
  }
}

/**
 * The first unexpected values of each failing expectation, in file order. One query each: a
 * LIMIT query stops reading as soon as it has its values, so common failures cost little.
 */
async function readPartials(
  engine: DuckEngine,
  source: string,
  failing: { index: number; step: ExpectationStep }[],
): Promise<Map<number, unknown[]>> {
  const lists = new Map<number, unknown[]>()
  for (const { index, step } of failing) {
    const { condition, value } = step.unexpected!
    const rows = await engine.all(
      `SELECT ${value} AS v FROM ${source} WHERE ${condition} LIMIT ${PARTIAL_UNEXPECTED_LIMIT}`,
    )
    lists.set(
      index,
      rows.map((row) => jsonValue(row.v)),
    )
  }
  return lists
}
