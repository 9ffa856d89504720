/**
 * JSON has no NaN or Infinity, and a loss does go NaN. Like protobuf's JSON mapping (which MLflow
 * uses), non-finite values travel as the strings "NaN", "Infinity" and "-Infinity".
 */
export type WireMetricValue = number | 'NaN' | 'Infinity' | '-Infinity'

export function encodeMetricValue(value: number): WireMetricValue {
  if (Number.isFinite(value)) return value
  if (Number.isNaN(value)) return 'NaN'
  return value > 0 ? 'Infinity' : '-Infinity'
}

export function decodeMetricValue(value: unknown): number {
  if (typeof value === 'number') return value
  if (value === 'NaN' || value === null) return Number.NaN
  if (value === 'Infinity') return Number.POSITIVE_INFINITY
  if (value === '-Infinity') return Number.NEGATIVE_INFINITY
  return Number(value)
}
