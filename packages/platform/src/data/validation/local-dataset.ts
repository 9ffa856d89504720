import path from 'node:path'
import { InvalidParameterError } from '@ballast/contracts'
import type { DatasetProfile, DatasetSchema } from '../dataset-types.js'
import type { DuckEngine } from '../duckdb/duck-engine.js'
import { convertToParquet } from '../ingest/convert-to-parquet.js'
import { detectFormat } from '../ingest/input-format.js'
import { describeParquet } from './column-types.js'

/** Data to validate, as a Parquet file on this machine. */
export interface LocalDataset {
  parquetPath: string
  schema: DatasetSchema
  /** The stored profile of a dataset version; null when none was stored or for a plain file. */
  profile: DatasetProfile | null
}

/**
 * A file on this machine: Parquet is read where it is; CSV, TSV, JSON and NDJSON are converted
 * into `workDir` exactly as ingestion converts them, so that types match what a version would hold.
 */
export async function localDatasetFromFile(
  engine: DuckEngine,
  file: string,
  label: string,
  workDir: string,
): Promise<LocalDataset> {
  const format = detectFormat(label)
  if (format === 'parquet') {
    try {
      return { parquetPath: file, schema: await describeParquet(engine, file), profile: null }
    } catch (error) {
      const reason = error instanceof Error ? error.message : String(error)
      throw new InvalidParameterError(`${label}: not a readable Parquet file: ${reason}`)
    }
  }
  const parquetPath = path.join(workDir, 'data.parquet')
  const { schema } = await convertToParquet(engine, { file, label, format }, parquetPath)
  return { parquetPath, schema, profile: null }
}
