import { InvalidParameterError } from '@ballast/contracts'
import type { DetectorState } from './detector-state-format.js'

/**
 * A streaming concept-drift detector, with River's semantics: `update(x)` consumes one value of a
 * model's error (0/1) or loss stream; afterwards `driftDetected` (and, for detectors that have
 * one, `warningDetected`) describe the state after that value. A detector that has signalled a
 * drift starts afresh on its next `update`, as River's do.
 */
export interface DriftDetector {
  /** River's class name: 'ADWIN', 'DDM', 'EDDM', 'PageHinkley', 'KSWIN'. */
  readonly name: string
  readonly driftDetected: boolean
  /** Always false for detectors without a warning zone (ADWIN, Page-Hinkley, KSWIN). */
  readonly warningDetected: boolean
  update(x: number): this
  /** Forgets every value seen so far (options are kept). */
  reset(): void
  /**
   * Options and every internal value as plain JSON; `restoreDetector` of it continues exactly
   * where this detector is.
   */
  toState(): DetectorState
}

export interface Detections {
  /** Indices (0-based, into `values`) after which the detector was in its warning zone. */
  warnings: number[]
  /** Indices after which the detector signalled a drift. */
  drifts: number[]
}

/**
 * Feeds `values` to `detector` in order and returns the indices where it warned and where it
 * signalled a drift. The detector keeps its state: call `reset()` first for a fresh run.
 */
export function detect(detector: DriftDetector, values: ArrayLike<number>): Detections {
  const warnings: number[] = []
  const drifts: number[] = []
  for (let i = 0; i < values.length; i++) {
    const x = values[i] as number
    if (!Number.isFinite(x)) {
      throw new InvalidParameterError(`values[${i}] must be a finite number, got ${String(x)}`)
    }
    detector.update(x)
    if (detector.warningDetected) warnings.push(i)
    if (detector.driftDetected) drifts.push(i)
  }
  return { warnings, drifts }
}

/** Throws when option `name` is not a number in the given range (bounds inclusive unless noted). */
export function checkOption(
  detector: string,
  name: string,
  value: number,
  check: {
    min?: number
    max?: number
    minExclusive?: number
    maxExclusive?: number
    integer?: boolean
  },
): void {
  const ok =
    Number.isFinite(value) &&
    (check.integer !== true || Number.isInteger(value)) &&
    (check.min === undefined || value >= check.min) &&
    (check.max === undefined || value <= check.max) &&
    (check.minExclusive === undefined || value > check.minExclusive) &&
    (check.maxExclusive === undefined || value < check.maxExclusive)
  if (!ok) {
    const parts: string[] = []
    if (check.integer === true) parts.push('an integer')
    if (check.min !== undefined) parts.push(`>= ${check.min}`)
    if (check.minExclusive !== undefined) parts.push(`> ${check.minExclusive}`)
    if (check.max !== undefined) parts.push(`<= ${check.max}`)
    if (check.maxExclusive !== undefined) parts.push(`< ${check.maxExclusive}`)
    throw new InvalidParameterError(
      `${detector} option '${name}' must be ${parts.join(', ')}; got ${String(value)}`,
    )
  }
}
