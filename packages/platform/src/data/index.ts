export {
  COLUMN_TYPES,
  type ColumnProfile,
  type ColumnSchema,
  type ColumnType,
  type DatasetProfile,
  type DatasetSchema,
} from './dataset-types.js'
export {
  DEFAULT_MAX_INGEST_BYTES,
  createDataService,
  type DataDependencies,
  type DataService,
  type DatasetWithRuns,
} from './data-service.js'
export type { DatasetHead } from './dataset-head.js'
export type { DatasetColumn, DatasetColumns } from './dataset-read.js'
export {
  checkDatasetName,
  parseDatasetRef,
  parseVersionSelector,
  type DatasetRef,
} from './dataset-ref.js'
export type { DatasetRun, DatasetVersion, ManagedDataset } from './dataset-version.js'
export type { IngestRequest, IngestResult } from './ingest-service.js'
export { convertToParquet, type ConvertedDataset } from './ingest/convert-to-parquet.js'
export { detectFormat } from './ingest/input-format.js'
export { DuckEngine } from './duckdb/duck-engine.js'
