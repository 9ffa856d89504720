import { InvalidParameterError } from '@ballast/contracts'
import { DEFAULT_DRIFT_SHARE } from '../drift/data-drift.js'
import { STAT_TESTS } from '../drift/stattests/index.js'
import {
  type CreateMonitorInput,
  DEFAULT_QUALITY_THRESHOLDS,
  MONITOR_DETECTORS,
  type MonitorOptions,
} from './monitor-types.js'

export const DEFAULT_PERFORMANCE_TOLERANCE = 0.05
export const DEFAULT_MIN_LABELED = 100

function bad(field: string, value: unknown, expected: string): InvalidParameterError {
  return new InvalidParameterError(
    `Invalid value for parameter 'options.${field}': ${JSON.stringify(value)}; expected ${expected}`,
  )
}

function share(field: string, value: unknown, fallback: number): number {
  if (value === undefined) return fallback
  if (typeof value !== 'number' || !(value >= 0 && value <= 1)) {
    throw bad(field, value, 'a number from 0 to 1')
  }
  return value
}

function stattest(field: string, value: unknown): string | undefined {
  if (value === undefined) return undefined
  if (typeof value !== 'string' || !(value in STAT_TESTS)) {
    throw bad(field, value, `one of ${Object.keys(STAT_TESTS).join(', ')}`)
  }
  return value
}

/** The options a monitor runs with: the given ones checked, the rest defaulted. */
export function resolveMonitorOptions(given: CreateMonitorInput['options'] = {}): MonitorOptions {
  if (typeof given !== 'object' || given === null || Array.isArray(given)) {
    throw bad('', given, 'an object')
  }
  const detector = given.detector ?? 'adwin'
  if (!MONITOR_DETECTORS.includes(detector)) {
    throw bad('detector', detector, `one of ${MONITOR_DETECTORS.join(', ')}`)
  }
  const minLabeled = given.minLabeled ?? DEFAULT_MIN_LABELED
  if (!Number.isSafeInteger(minLabeled) || minLabeled < 1) {
    throw bad('minLabeled', minLabeled, 'a positive integer')
  }
  const options: MonitorOptions = {
    driftShare: share('driftShare', given.driftShare, DEFAULT_DRIFT_SHARE),
    detector: detector,
    performanceTolerance: share(
      'performanceTolerance',
      given.performanceTolerance,
      DEFAULT_PERFORMANCE_TOLERANCE,
    ),
    minLabeled,
    quality: {
      missingShare: share(
        'quality.missingShare',
        given.quality?.missingShare,
        DEFAULT_QUALITY_THRESHOLDS.missingShare,
      ),
      newCategoryShare: share(
        'quality.newCategoryShare',
        given.quality?.newCategoryShare,
        DEFAULT_QUALITY_THRESHOLDS.newCategoryShare,
      ),
      outOfRangeShare: share(
        'quality.outOfRangeShare',
        given.quality?.outOfRangeShare,
        DEFAULT_QUALITY_THRESHOLDS.outOfRangeShare,
      ),
    },
  }
  for (const field of ['stattest', 'numStattest', 'catStattest'] as const) {
    const test = stattest(field, given[field])
    if (test !== undefined) options[field] = test
  }
  if (given.perColumnStattest !== undefined) {
    const perColumn: Record<string, string> = {}
    for (const [column, test] of Object.entries(given.perColumnStattest)) {
      perColumn[column] = stattest(`perColumnStattest.${column}`, test)!
    }
    options.perColumnStattest = perColumn
  }
  if (given.threshold !== undefined) {
    if (typeof given.threshold !== 'number' || !Number.isFinite(given.threshold)) {
      throw bad('threshold', given.threshold, 'a finite number')
    }
    options.threshold = given.threshold
  }
  if (given.columns !== undefined) {
    if (
      !Array.isArray(given.columns) ||
      given.columns.length === 0 ||
      !given.columns.every((c) => typeof c === 'string' && c !== '')
    ) {
      throw bad('columns', given.columns, 'a non-empty list of column names')
    }
    options.columns = [...new Set(given.columns)]
  }
  return options
}
