import type { DatasetFormat } from '@ballast/contracts'
import type { DatasetProfile, DatasetSchema } from './dataset-types.js'

/** An immutable version of a managed dataset. */
export interface DatasetVersion {
  readonly name: string
  readonly version: number
  /** sha256 of the stored Parquet file; what a run logs as its dataset input's digest. */
  readonly digest: string
  /** sha256 over the ingested bytes, format and filter. */
  readonly sourceDigest: string
  /** The file name the data came from, or `upload`. */
  readonly source: string
  readonly format: DatasetFormat
  readonly rowCount: number
  readonly schema: DatasetSchema
  /** Null until the version is profiled. */
  readonly profile: DatasetProfile | null
  /** The Parquet blob in the artifact store. */
  readonly blobDigest: string
  readonly sizeBytes: number
  readonly createdBy: string
  readonly createdAt: number
}

export interface ManagedDataset {
  readonly name: string
  readonly createdBy: string
  readonly createdAt: number
  readonly versionCount: number
  readonly latest: DatasetVersion | undefined
}

/** A run that logged a dataset version as an input. */
export interface DatasetRun {
  readonly runId: string
  readonly runName: string
  readonly experimentId: string
  readonly status: string
  /** The input's `mlflow.data.context` tag, when given. */
  readonly context: string | null
}
