import { LATENCY_BOUNDS_MS } from '../../serving/index.js'
import type { CanaryLimits } from './deploy-inputs.js'

/** What was measured over a canary's watch, canary beside primary. */
export interface CanaryFigures {
  canary_requests: number
  canary_predictions: number
  canary_errors: number
  canary_error_rate: number | null
  canary_p50_ms: number | null
  canary_p99_ms: number | null
  canary_cpu_ms: number
  primary_requests: number
  primary_error_rate: number | null
  primary_p99_ms: number | null
  primary_cpu_ms: number
  canary_labelled: number
  canary_accuracy: number | null
  primary_labelled: number
  primary_accuracy: number | null
  watched_ms: number
}

export interface CanaryVerdict {
  promote: boolean
  /** When promoted, every check that held; when rolled back, every check that failed. */
  reasons: string[]
}

const round = (x: number) => Number(x.toFixed(4))

/**
 * The latency the canary's p99 may reach: `ratio` × the primary's, but never below the upper
 * bound of the histogram bucket the primary's p99 lies in. Inside one bucket the estimates are
 * interpolations, and a fast model would otherwise fail on the bucket's resolution alone.
 */
export function p99Limit(primaryP99: number, ratio: number): number {
  const bucketTop = LATENCY_BOUNDS_MS.find((b) => primaryP99 <= b) ?? primaryP99
  return Math.max(ratio * primaryP99, bucketTop)
}

/** Whether a watched canary holds: error rate, p99 latency against the primary, and accuracy. */
export function judgeCanary(f: CanaryFigures, limits: CanaryLimits): CanaryVerdict {
  const held: string[] = []
  const failed: string[] = []
  const check = (ok: boolean, pass: string, fail: string) =>
    ok ? held.push(pass) : failed.push(fail)

  if (f.canary_requests === 0 || f.canary_error_rate === null) {
    failed.push('not enough traffic: the canary answered no requests during the watch')
    return { promote: false, reasons: failed }
  }
  const rate = round(f.canary_error_rate)
  check(
    f.canary_error_rate <= limits.maxErrorRate,
    `error rate ${rate} is within max_error_rate ${limits.maxErrorRate}`,
    `error rate ${rate} (${f.canary_errors} of ${f.canary_requests} requests) is above max_error_rate ${limits.maxErrorRate}`,
  )
  if (f.canary_p99_ms !== null && f.primary_p99_ms !== null) {
    const limit = p99Limit(f.primary_p99_ms, limits.maxLatencyP99Ratio)
    const got = round(f.canary_p99_ms)
    const primary = round(f.primary_p99_ms)
    check(
      f.canary_p99_ms <= limit,
      `p99 latency ${got} ms is within ${limits.maxLatencyP99Ratio} × the primary's ${primary} ms`,
      `p99 latency ${got} ms is above ${limits.maxLatencyP99Ratio} × the primary's ${primary} ms (limit ${round(limit)} ms)`,
    )
  } else {
    held.push('p99 latency not compared: the primary answered no requests during the watch')
  }
  if (f.canary_labelled < limits.minLabelled) {
    held.push(
      `accuracy not compared: ${f.canary_labelled} labelled canary predictions, fewer than min_labelled ${limits.minLabelled}`,
    )
  } else if (f.canary_accuracy !== null && f.primary_accuracy !== null) {
    const delta = f.canary_accuracy - f.primary_accuracy
    const text = `accuracy ${round(f.canary_accuracy)} on ${f.canary_labelled} labelled predictions against the primary's ${round(f.primary_accuracy)} (difference ${round(delta)}`
    check(
      delta >= limits.minAccuracyDelta - 1e-12,
      `${text}, min_accuracy_delta ${limits.minAccuracyDelta})`,
      `${text} is below min_accuracy_delta ${limits.minAccuracyDelta})`,
    )
  } else {
    held.push('accuracy not compared: the primary has no labelled predictions in the watch')
  }
  return failed.length === 0
    ? { promote: true, reasons: held }
    : { promote: false, reasons: failed }
}
