import { InvalidParameterError } from '@ballast/contracts'
import { type ColumnDistribution, columnDistribution } from './column-distribution.js'
import { defaultStatTest } from './default-stattest.js'
import { type DriftTable, type DriftTableColumn, cleanColumn, columnType } from './drift-table.js'
import type { DriftColumnType, StatTest } from './stattest.js'
import { STAT_TESTS } from './stattests/index.js'

export const DEFAULT_DRIFT_SHARE = 0.5

export interface DataDriftOptions {
  /** Columns to compare, in this order (default: every column of the reference). */
  readonly columns?: readonly string[]
  /** Numeric columns to treat as categories. */
  readonly categorical?: readonly string[]
  /** Test for every column (Evidently's stattest). */
  readonly stattest?: string
  readonly numStattest?: string
  readonly catStattest?: string
  readonly perColumnStattest?: Readonly<Record<string, string>>
  /** Threshold for every column's test (default: each test's own). */
  readonly threshold?: number
  /** Data set drift when at least this share of columns drift (default 0.5). */
  readonly driftShare?: number
}

/** Evidently's ColumnDriftMetric result for one column (snake_case: it is a wire format). */
export interface ColumnDriftResult {
  column_name: string
  column_type: DriftColumnType
  stattest_name: string
  stattest_threshold: number
  drift_score: number
  drift_detected: boolean
}

/** Evidently's DatasetDriftMetric plus DataDriftTable per column. */
export interface DataDriftReport {
  dataset_drift: boolean
  drift_share: number
  number_of_columns: number
  number_of_drifted_columns: number
  share_of_drifted_columns: number
  drift_by_columns: Record<string, ColumnDriftResult>
}

export interface DataDriftResult {
  report: DataDriftReport
  /** Per column, the counts to draw (not part of the report's JSON). */
  distributions: Record<string, ColumnDistribution>
}

/** Compares every selected column of `current` with `reference` and decides data set drift. */
export function computeDataDrift(
  reference: DriftTable,
  current: DriftTable,
  options: DataDriftOptions = {},
): DataDriftReport {
  return driftOf(reference, current, options, false).report
}

/** `computeDataDrift` plus the per-column distributions for charts. */
export function computeDataDriftWithDistributions(
  reference: DriftTable,
  current: DriftTable,
  options: DataDriftOptions = {},
): DataDriftResult {
  return driftOf(reference, current, options, true)
}

function driftOf(
  reference: DriftTable,
  current: DriftTable,
  options: DataDriftOptions,
  withDistributions: boolean,
): DataDriftResult {
  const driftShare = options.driftShare ?? DEFAULT_DRIFT_SHARE
  if (!(driftShare >= 0 && driftShare <= 1))
    throw new InvalidParameterError(`drift share must be between 0 and 1, got ${driftShare}`)
  if (options.threshold !== undefined && !Number.isFinite(options.threshold))
    throw new InvalidParameterError(`threshold must be a finite number, got ${options.threshold}`)
  const refColumns = byName(reference)
  const curColumns = byName(current)
  const names = options.columns ?? reference.map((c) => c.name)
  for (const name of [...names, ...(options.categorical ?? [])]) {
    if (!refColumns.has(name))
      throw new InvalidParameterError(`column ${name} is not in the reference data`)
    if (!curColumns.has(name))
      throw new InvalidParameterError(`column ${name} is not in the current data`)
  }
  for (const name of Object.keys(options.perColumnStattest ?? {}))
    if (!names.includes(name))
      throw new InvalidParameterError(
        `per-column stattest names column ${name}, which is not compared`,
      )
  for (const id of requestedTests(options)) lookUp(id)

  const categorical = new Set(options.categorical ?? [])
  const columns: [string, ColumnDriftResult][] = []
  const distributions: [string, ColumnDistribution][] = []
  for (const name of names) {
    const refColumn = refColumns.get(name)!
    const type = columnType(refColumn, categorical)
    const ref = cleanColumn(refColumn, type, 'reference')
    const cur = cleanColumn(curColumns.get(name)!, type, 'current')
    const requested = chosenTestId(name, type, options)
    const test = requested === undefined ? defaultStatTest(ref, cur, type) : lookUp(requested)
    if (requested !== undefined && !test.columnTypes.includes(type))
      throw new InvalidParameterError(
        `stattest ${test.id} does not apply to ${type} column ${name}`,
      )
    const threshold = options.threshold ?? test.defaultThreshold
    let result
    try {
      result = test.compute(ref, cur, type, threshold)
    } catch (error) {
      if (error instanceof InvalidParameterError)
        throw new InvalidParameterError(`column ${name}: ${error.message}`, { cause: error })
      throw error
    }
    columns.push([
      name,
      {
        column_name: name,
        column_type: type,
        stattest_name: test.id,
        stattest_threshold: threshold,
        drift_score: result.score,
        drift_detected: result.drifted,
      },
    ])
    if (withDistributions) distributions.push([name, columnDistribution(ref, cur)])
  }
  const drifted = columns.filter(([, c]) => c.drift_detected).length
  const share = columns.length === 0 ? 0 : drifted / columns.length
  return {
    report: {
      dataset_drift: columns.length > 0 && share >= driftShare,
      drift_share: driftShare,
      number_of_columns: columns.length,
      number_of_drifted_columns: drifted,
      share_of_drifted_columns: share,
      drift_by_columns: Object.fromEntries(columns),
    },
    distributions: Object.fromEntries(distributions),
  }
}

/** Evidently's precedence: per column, then per column type, then for all columns. */
function chosenTestId(
  name: string,
  type: DriftColumnType,
  options: DataDriftOptions,
): string | undefined {
  const perColumn = options.perColumnStattest
  if (perColumn !== undefined && Object.hasOwn(perColumn, name)) return perColumn[name]
  return (type === 'num' ? options.numStattest : options.catStattest) ?? options.stattest
}

function requestedTests(options: DataDriftOptions): string[] {
  return [
    options.stattest,
    options.numStattest,
    options.catStattest,
    ...Object.values(options.perColumnStattest ?? {}),
  ].filter((id): id is string => id !== undefined)
}

function lookUp(id: string): StatTest {
  if (!Object.hasOwn(STAT_TESTS, id))
    throw new InvalidParameterError(
      `unknown stattest ${id} (available: ${Object.keys(STAT_TESTS).sort().join(', ')})`,
    )
  return STAT_TESTS[id]!
}

function byName(table: DriftTable): Map<string, DriftTableColumn> {
  const columns = new Map<string, DriftTableColumn>()
  for (const column of table) {
    if (columns.has(column.name))
      throw new InvalidParameterError(`column ${column.name} appears twice`)
    columns.set(column.name, column)
  }
  return columns
}
