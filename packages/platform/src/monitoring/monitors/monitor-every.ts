import { InvalidParameterError } from '@ballast/contracts'
import type { MonitorEvery } from './monitor-types.js'

const UNIT_MS: Record<string, number> = { s: 1_000, m: 60_000, h: 3_600_000, d: 86_400_000 }

/** The smallest windows: fewer rows, or less time, say nothing a test could trust. */
export const MIN_WINDOW_PREDICTIONS = 10
export const MIN_WINDOW_MS = 1_000
export const MAX_WINDOW_PREDICTIONS = 10_000_000

/**
 * `1000 predictions`, `1000`, or a duration (`30s`, `15m`, `1h`, `1d`) → how a monitor cuts the
 * prediction log into windows.
 */
export function parseEvery(text: string, field = 'every'): MonitorEvery {
  const value = text.trim()
  const count = /^(\d+)(?:\s*predictions?)?$/i.exec(value)
  if (count !== null) {
    const n = Number(count[1])
    if (n < MIN_WINDOW_PREDICTIONS || n > MAX_WINDOW_PREDICTIONS) {
      throw new InvalidParameterError(
        `Invalid value for parameter '${field}': '${text}'; a window holds ${MIN_WINDOW_PREDICTIONS} to ${MAX_WINDOW_PREDICTIONS} predictions`,
      )
    }
    return { kind: 'predictions', count: n }
  }
  const duration = /^(\d+(?:\.\d+)?)\s*([smhd])$/i.exec(value)
  if (duration !== null) {
    const ms = Math.round(Number(duration[1]) * UNIT_MS[duration[2]!.toLowerCase()]!)
    if (ms < MIN_WINDOW_MS || ms > 366 * UNIT_MS.d!) {
      throw new InvalidParameterError(
        `Invalid value for parameter '${field}': '${text}'; a window lasts 1s to 366d`,
      )
    }
    return { kind: 'time', ms }
  }
  throw new InvalidParameterError(
    `Invalid value for parameter '${field}': '${text}'; expected a count of predictions ('1000 predictions') or a duration ('30s', '15m', '1h', '1d')`,
  )
}

/** The text `parseEvery` reads back: `1000 predictions`, `1h`, `90s`. */
export function formatEvery(every: MonitorEvery): string {
  if (every.kind === 'predictions') return `${every.count} predictions`
  for (const unit of ['d', 'h', 'm', 's'] as const) {
    const size = UNIT_MS[unit]!
    if (every.ms % size === 0) return `${every.ms / size}${unit}`
  }
  return `${every.ms / 1000}s`
}
