import { z } from 'zod'

/**
 * The native datasets API (`/api/v1/datasets`): snake_case like the rest of the HTTP API, times in
 * epoch milliseconds. The server answers with these shapes; the CLI and the SDK read them.
 */

/** Formats a dataset can be ingested from. */
export const DATASET_FORMATS = ['csv', 'tsv', 'json', 'ndjson', 'parquet'] as const
export type DatasetFormat = (typeof DATASET_FORMATS)[number]

export const DatasetColumnWire = z.object({
  name: z.string(),
  type: z.enum(['integer', 'float', 'boolean', 'string', 'datetime']),
  nullable: z.boolean(),
  storage_type: z.string(),
})
export type DatasetColumnWire = z.output<typeof DatasetColumnWire>

/** A run that logged this version as an input (MLflow `log-inputs` with the version's digest). */
export const DatasetRunWire = z.object({
  run_id: z.string(),
  run_name: z.string(),
  experiment_id: z.string(),
  status: z.string(),
  /** `mlflow.data.context` of the input (`training`, `evaluation`…), when the run gave one. */
  context: z.string().nullable(),
})
export type DatasetRunWire = z.output<typeof DatasetRunWire>

export const DatasetVersionSummaryWire = z.object({
  name: z.string(),
  version: z.number().int().positive(),
  /** sha256 of the stored Parquet file: the digest runs log as their input's digest. */
  digest: z.string(),
  source: z.string(),
  format: z.enum(DATASET_FORMATS),
  row_count: z.number().int().nonnegative(),
  column_count: z.number().int().nonnegative(),
  size_bytes: z.number().int().nonnegative(),
  created_by: z.string(),
  created_at: z.number().int(),
})
export type DatasetVersionSummaryWire = z.output<typeof DatasetVersionSummaryWire>

/** One version with its schema and profile (`null` until profiled). */
export const DatasetVersionWire = DatasetVersionSummaryWire.extend({
  schema: z.object({ columns: z.array(DatasetColumnWire) }),
  // The profile's shape belongs to the profile engine; the wire passes it through unchanged.
  profile: z.record(z.string(), z.unknown()).nullable(),
})
export type DatasetVersionWire = z.output<typeof DatasetVersionWire>

export const DatasetWire = z.object({
  name: z.string(),
  created_by: z.string(),
  created_at: z.number().int(),
  version_count: z.number().int().nonnegative(),
  latest: DatasetVersionSummaryWire.nullable(),
})
export type DatasetWire = z.output<typeof DatasetWire>

export const ListDatasetsResponse = z.object({ datasets: z.array(DatasetWire) })
export type ListDatasetsResponse = z.output<typeof ListDatasetsResponse>

/** `GET /api/v1/datasets/:name`: the dataset, every version newest first, and the runs of each. */
export const GetDatasetResponse = z.object({
  dataset: DatasetWire,
  versions: z.array(DatasetVersionSummaryWire.extend({ runs: z.array(DatasetRunWire) })),
})
export type GetDatasetResponse = z.output<typeof GetDatasetResponse>

export const ListDatasetVersionsResponse = z.object({
  versions: z.array(DatasetVersionSummaryWire),
})
export type ListDatasetVersionsResponse = z.output<typeof ListDatasetVersionsResponse>

export const GetDatasetVersionResponse = z.object({ version: DatasetVersionWire })
export type GetDatasetVersionResponse = z.output<typeof GetDatasetVersionResponse>

/** `POST /api/v1/datasets/:name/versions`: `existing` is true when identical content was there. */
export const IngestDatasetResponse = z.object({
  version: DatasetVersionWire,
  existing: z.boolean(),
})
export type IngestDatasetResponse = z.output<typeof IngestDatasetResponse>

/**
 * The header that carries an expectation suite with an upload, as base64url of the suite's JSON:
 * the body is the file itself. A failing dataset is then not published.
 */
export const SUITE_HEADER = 'x-ballast-suite'

/** Query of the upload. No SQL is taken over HTTP: filtering happens before the upload. */
export const IngestDatasetQuery = z
  .object({
    format: z.enum(DATASET_FORMATS).optional(),
    /** The file name the bytes came from, kept as the version's source (default `upload`). */
    source: z.string().min(1).max(500).optional(),
  })
  .strict()
export type IngestDatasetQuery = z.output<typeof IngestDatasetQuery>

export const DatasetHeadQuery = z
  .object({ n: z.coerce.number().int().min(1).max(1000).default(10) })
  .strict()
export type DatasetHeadQuery = z.output<typeof DatasetHeadQuery>

export const DatasetHeadResponse = z.object({
  name: z.string(),
  version: z.number().int().positive(),
  columns: z.array(z.string()),
  /** Values in JSON form: big integers and datetimes as text. */
  rows: z.array(z.record(z.string(), z.unknown())),
})
export type DatasetHeadResponse = z.output<typeof DatasetHeadResponse>

/** MLflow caps a logged dataset's digest at 36 characters (its own digests are shorter). */
export const MLFLOW_DATASET_DIGEST_LENGTH = 36

/**
 * The digest a run logs for a Ballast dataset version: the first 36 hex characters of the
 * version's sha256 (144 bits), which MLflow's limit admits and lineage joins on.
 */
export function datasetInputDigest(versionDigest: string): string {
  return versionDigest.slice(0, MLFLOW_DATASET_DIGEST_LENGTH)
}
