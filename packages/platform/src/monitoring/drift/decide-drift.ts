import type { StatTest, StatTestResult } from './stattest.js'

/** A p-value drifts below its threshold; a distance drifts at or above it. */
export function decideDrift(
  kind: StatTest['kind'],
  score: number,
  threshold: number,
): StatTestResult {
  return { score, drifted: kind === 'p_value' ? score < threshold : score >= threshold }
}
