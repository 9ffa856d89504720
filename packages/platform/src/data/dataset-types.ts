/** Logical column types of a dataset, as users and validation suites see them. */
export const COLUMN_TYPES = ['integer', 'float', 'boolean', 'string', 'datetime'] as const
export type ColumnType = (typeof COLUMN_TYPES)[number]

export interface ColumnSchema {
  readonly name: string
  readonly type: ColumnType
  readonly nullable: boolean
  /** The DuckDB/Parquet physical type the column is stored as (`BIGINT`, `DOUBLE`, `VARCHAR`, …). */
  readonly storageType: string
}

export interface DatasetSchema {
  readonly columns: readonly ColumnSchema[]
}

export interface TopValue {
  /** The value as text (numbers and datetimes in their canonical text form). */
  readonly value: string
  readonly count: number
}

export interface Histogram {
  /** bins + 1 increasing edges; the last bin includes its right edge. */
  readonly edges: readonly number[]
  readonly counts: readonly number[]
}

export interface ColumnProfile {
  readonly name: string
  readonly type: ColumnType
  /** Non-missing values. */
  readonly count: number
  readonly missing: number
  readonly distinct: number
  /** Float columns: ±Infinity values, counted in `count` and left out of the numeric summaries. */
  readonly infinite?: number
  /** Numbers for numeric columns; ISO-8601 text for datetimes; absent for strings and booleans. */
  readonly min?: number | string
  readonly max?: number | string
  readonly mean?: number
  /** Sample standard deviation (n − 1), as pandas and Great Expectations report it. */
  readonly std?: number
  readonly quantiles?: {
    readonly p1: number
    readonly p5: number
    readonly p25: number
    readonly p50: number
    readonly p75: number
    readonly p95: number
    readonly p99: number
  }
  readonly top: readonly TopValue[]
  readonly histogram?: Histogram
}

export interface DatasetProfile {
  readonly rowCount: number
  readonly columns: readonly ColumnProfile[]
}
