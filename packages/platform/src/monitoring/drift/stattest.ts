export type DriftColumnType = 'num' | 'cat'
/** Numerical columns: Float64Array with NaN/±Inf already removed. Categorical: string values, nulls removed. */
export type DriftColumn = Float64Array | readonly string[]
export interface StatTestResult {
  score: number
  drifted: boolean
}
export interface StatTest {
  /** Evidently's id: 'ks', 'psi', … */
  id: string
  /** Human name, e.g. 'K-S p_value'. */
  name: string
  /** Column types the test accepts. */
  columnTypes: readonly DriftColumnType[]
  defaultThreshold: number
  /** 'p_value': drift when score < threshold; 'distance': drift when score >= threshold. */
  kind: 'p_value' | 'distance'
  compute(
    reference: DriftColumn,
    current: DriftColumn,
    columnType: DriftColumnType,
    threshold: number,
  ): StatTestResult
}
