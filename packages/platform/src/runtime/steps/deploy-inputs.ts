import { InvalidParameterError } from '@ballast/contracts'
import type { StepInputs } from '../../orchestration/index.js'
import { parseModelRef, validateDeploymentName, type ModelRef } from '../../serving/index.js'
import { checkKeys } from './step-inputs.js'

/** What a canary must hold to be promoted, and how long it is watched. */
export interface CanaryLimits {
  percent: number
  /** Canary predictions that end the watch; null when only the duration does. */
  predictions: number | null
  /** The watch ends after this long (ms) whatever the traffic; null when only predictions do. */
  durationMs: number | null
  /** With too little traffic by then (ms since the start), the canary is rolled back. */
  timeoutMs: number
  maxErrorRate: number
  maxLatencyP99Ratio: number
  minAccuracyDelta: number
  minLabelled: number
}

export interface DeployInputs {
  deployment: string
  model: ModelRef
  canary: CanaryLimits | null
  alias: string | null
}

export const CANARY_DEFAULTS = {
  predictions: 2_000,
  timeoutMs: 3_600_000,
  maxErrorRate: 0.01,
  maxLatencyP99Ratio: 1.5,
  minAccuracyDelta: -0.01,
  minLabelled: 200,
} as const

const UNIT_MS: Record<string, number> = { ms: 1, s: 1_000, m: 60_000, h: 3_600_000, d: 86_400_000 }

const invalid = (field: string, value: unknown, why: string) =>
  new InvalidParameterError(
    `Invalid value for parameter '${field}': ${JSON.stringify(value)}; ${why}`,
  )

/** `90s`, `10m`, `1h`, `2d`, `500ms`, or a number of milliseconds. */
export function parseDurationMs(value: unknown, field: string): number {
  if (typeof value === 'number' && Number.isFinite(value) && value > 0) return value
  const m = typeof value === 'string' ? /^(\d+(?:\.\d+)?)\s*(ms|s|m|h|d)$/.exec(value.trim()) : null
  if (m === null || Number(m[1]) <= 0) {
    throw invalid(field, value, "expected a duration such as '30s', '10m', '1h' or '1d'")
  }
  return Math.round(Number(m[1]) * UNIT_MS[m[2]!]!)
}

function object(value: unknown, field: string): Record<string, unknown> {
  if (value === null || typeof value !== 'object' || Array.isArray(value)) {
    throw invalid(field, value, 'expected an object')
  }
  return value as Record<string, unknown>
}

function number(
  value: unknown,
  field: string,
  fallback: number,
  check: (n: number) => boolean,
  why: string,
): number {
  if (value === undefined) return fallback
  if (typeof value !== 'number' || !Number.isFinite(value) || !check(value)) {
    throw invalid(field, value, why)
  }
  return value
}

function text(value: unknown, field: string): string {
  if (typeof value !== 'string' || value === '') throw invalid(field, value, 'expected a string')
  return value
}

function parseCanary(value: unknown, field: string): CanaryLimits {
  const c = object(value, field)
  checkKeys(
    c,
    [
      'percent',
      'watch',
      'max_error_rate',
      'max_latency_p99_ratio',
      'min_accuracy_delta',
      'min_labelled',
    ],
    field,
  )
  const watch = c.watch === undefined ? {} : object(c.watch, `${field}.watch`)
  checkKeys(watch, ['predictions', 'duration', 'timeout'], `${field}.watch`)
  const durationMs =
    watch.duration === undefined ? null : parseDurationMs(watch.duration, `${field}.watch.duration`)
  const predictions =
    watch.predictions === undefined
      ? durationMs === null
        ? CANARY_DEFAULTS.predictions
        : null
      : number(
          watch.predictions,
          `${field}.watch.predictions`,
          0,
          (n) => Number.isInteger(n) && n >= 1,
          'expected a positive whole number',
        )
  if (c.percent === undefined) throw invalid(`${field}.percent`, undefined, 'a canary needs it')
  return {
    percent: number(
      c.percent,
      `${field}.percent`,
      0,
      (n) => n > 0 && n < 100,
      'expected 0 < percent < 100',
    ),
    predictions,
    durationMs,
    timeoutMs:
      watch.timeout === undefined
        ? CANARY_DEFAULTS.timeoutMs
        : parseDurationMs(watch.timeout, `${field}.watch.timeout`),
    maxErrorRate: number(
      c.max_error_rate,
      `${field}.max_error_rate`,
      CANARY_DEFAULTS.maxErrorRate,
      (n) => n >= 0 && n <= 1,
      'expected a rate from 0 to 1',
    ),
    maxLatencyP99Ratio: number(
      c.max_latency_p99_ratio,
      `${field}.max_latency_p99_ratio`,
      CANARY_DEFAULTS.maxLatencyP99Ratio,
      (n) => n > 0,
      'expected a positive ratio',
    ),
    minAccuracyDelta: number(
      c.min_accuracy_delta,
      `${field}.min_accuracy_delta`,
      CANARY_DEFAULTS.minAccuracyDelta,
      (n) => n >= -1 && n <= 1,
      'expected a difference from -1 to 1',
    ),
    minLabelled: number(
      c.min_labelled,
      `${field}.min_labelled`,
      CANARY_DEFAULTS.minLabelled,
      (n) => Number.isInteger(n) && n >= 1,
      'expected a positive whole number',
    ),
  }
}

/**
 * The `with` of a deploy step. `checkOnly`: the declared inputs, where a value may still be a
 * `${{ … }}` reference; those are left for the run to check.
 */
export function parseDeployInputs(
  inputs: StepInputs,
  field: string,
  checkOnly = false,
): DeployInputs | null {
  checkKeys(inputs, ['deployment', 'model', 'canary', 'alias'], field)
  // References resolve at run time: a declaration holding any is checked then.
  if (checkOnly && JSON.stringify(inputs).includes('${{')) return null
  const deployment = validateDeploymentName(
    text(inputs.deployment, `${field}.deployment`),
    `${field}.deployment`,
  )
  const model = parseModelRef(text(inputs.model, `${field}.model`), `${field}.model`)
  const canary =
    inputs.canary === undefined || inputs.canary === null
      ? null
      : parseCanary(inputs.canary, `${field}.canary`)
  const alias =
    inputs.alias === undefined || inputs.alias === null
      ? null
      : text(inputs.alias, `${field}.alias`)
  return { deployment, model, canary, alias }
}
