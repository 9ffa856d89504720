/** Managed datasets and their versions. */

/** A dataset Ballast manages (not MLflow's logged `datasets`). */
export interface ManagedDatasetsTable {
  name: string
  created_at: number
  created_by: string
  version_count: number
}

/** An immutable version of a managed dataset: a Parquet blob with its schema and profile. */
export interface DatasetVersionsTable {
  name: string
  version: number
  /** sha256 of the stored Parquet blob. */
  digest: string
  /** sha256 over the ingested bytes, format and filter: finds identical re-ingests. */
  source_digest: string
  source: string
  format: string
  row_count: number
  /** DatasetSchema as JSON. */
  schema: string
  /** DatasetProfile as JSON; null until profiled. */
  profile: string | null
  blob_digest: string
  size_bytes: number
  created_by: string
  created_at: number
}
