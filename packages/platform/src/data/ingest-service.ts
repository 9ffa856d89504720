import { createHash } from 'node:crypto'
import { createReadStream } from 'node:fs'
import { mkdtemp, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import path from 'node:path'
import { AppError, type ExpectationSuite, InvalidParameterError } from '@ballast/contracts'
import type { ArtifactStore } from '../artifacts/artifact-store.js'
import type { Actor } from '../governance/index.js'
import { checkDatasetName } from './dataset-ref.js'
import type { DatasetRepository } from './dataset-repository.js'
import type { DatasetVersion } from './dataset-version.js'
import type { DuckEngine } from './duckdb/duck-engine.js'
import { type ConvertedDataset, convertToParquet } from './ingest/convert-to-parquet.js'
import { detectFormat } from './ingest/input-format.js'
import { type IngestInput, spoolInput } from './ingest/spool-input.js'
import { profileDataset } from './profile/index.js'
import { type ValidationResult, validateDataset, writeQuarantine } from './validation/index.js'

export interface IngestRequest {
  name: string
  /** A file path, or the bytes of the file (an upload). */
  input: IngestInput
  /** The file name of streamed bytes; recorded as the version's source (default `upload`). */
  sourceName?: string
  /** csv, tsv, json, ndjson or parquet; from the file name's extension when absent. */
  format?: string
  /** A SQL predicate over the file's columns; only the rows it selects are kept. */
  where?: string
  /** When given, the version is published only if the data passes every expectation. */
  suite?: ExpectationSuite
  actor: Actor
}

export interface IngestResult {
  version: DatasetVersion
  /** True when identical content (same bytes, format and filter) was ingested before. */
  existing: boolean
}

export interface IngestDependencies {
  repository: DatasetRepository
  artifacts: ArtifactStore
  engine: () => Promise<DuckEngine>
  /** Largest file accepted, and the setting that holds the limit (named in the error). */
  maxBytes: number
  limitSetting: string
}

/**
 * Ingests one file as a new version of a dataset: spool and hash it, return the existing version
 * when identical content was ingested before, convert it to Parquet with DuckDB (checking its
 * structure and types), store the Parquet in the artifact store, and publish the version in one
 * metadata transaction. On any failure nothing is published and the temporary files are removed.
 * The Parquet blob may stay in the artifact store unreferenced: blobs are content-addressed and
 * another version may share it, so it is never deleted here.
 */
export async function ingestDataset(
  deps: IngestDependencies,
  request: IngestRequest,
): Promise<IngestResult> {
  const name = checkDatasetName(request.name)
  const fromFile = typeof request.input === 'string'
  const label = fromFile ? (request.input as string) : (request.sourceName ?? 'upload')
  const source = fromFile
    ? path.basename(request.input as string)
    : (request.sourceName ?? 'upload')
  const format = detectFormat(label, request.format)
  const where = request.where

  const dir = await mkdtemp(path.join(tmpdir(), 'ballast-ingest-'))
  try {
    const spooled = path.join(dir, `source.${format}`)
    const raw = await spoolInput(request.input, spooled, {
      label,
      maxBytes: deps.maxBytes,
      setting: deps.limitSetting,
    })
    if (raw.size === 0) throw new InvalidParameterError(`${label}: the file is empty`)
    const sourceDigest = createHash('sha256')
      .update(`${raw.digest}\n${format}\n${where ?? ''}`)
      .digest('hex')
    const known = await deps.repository.findBySource(name, sourceDigest)
    if (known !== undefined) return { version: known, existing: true }

    const engine = await deps.engine()
    const parquet = path.join(dir, 'data.parquet')
    const converted = await convertToParquet(
      engine,
      { file: spooled, label, format },
      parquet,
      where,
    )
    if (request.suite !== undefined) {
      await gate(deps, engine, {
        parquet,
        dir,
        label,
        suite: request.suite,
        schema: converted.schema,
      })
    }
    const profile = await profileDataset(engine, parquet, converted.schema)
    const blob = await deps.artifacts.put(createReadStream(parquet))
    return await deps.repository.publish({
      name,
      digest: blob.digest,
      sourceDigest,
      source,
      format,
      rowCount: converted.rowCount,
      schema: converted.schema,
      profile,
      blobDigest: blob.digest,
      sizeBytes: blob.size,
      createdBy: request.actor.name,
      createdAt: Date.now(),
    })
  } finally {
    await rm(dir, { recursive: true, force: true })
  }
}

function failedExpectations(result: ValidationResult): string {
  const failed = result.results.filter((r) => !r.success)
  const named = failed.slice(0, 5).map((r) => {
    const column = r.kwargs.column
    return typeof column === 'string' ? `${r.expectation_type}(${column})` : r.expectation_type
  })
  return `${named.join(', ')}${failed.length > 5 ? `, and ${failed.length - 5} more` : ''}`
}

/**
 * Validates the converted data against the suite. On failure the rows that break a row-level
 * expectation go to a quarantine Parquet blob in the artifact store, and the ingest fails with
 * INVALID_STATE saying which expectations failed and where the quarantined rows are.
 */
async function gate(
  deps: IngestDependencies,
  engine: DuckEngine,
  input: {
    parquet: string
    dir: string
    label: string
    suite: ExpectationSuite
    schema: ConvertedDataset['schema']
  },
): Promise<void> {
  const { parquet, dir, label, suite, schema } = input
  const result = await validateDataset(engine, parquet, suite, schema)
  if (result.success) return
  const quarantine = path.join(dir, 'quarantine.parquet')
  const { rows } = await writeQuarantine(engine, parquet, suite, quarantine, schema)
  const blob = await deps.artifacts.put(createReadStream(quarantine))
  const { unsuccessful_expectations: failed, evaluated_expectations: total } = result.statistics
  const name = suite.name === undefined ? 'the suite' : `suite '${suite.name}'`
  throw new AppError(
    'INVALID_STATE',
    `${label} failed ${name} (${failed} of ${total} expectations: ${failedExpectations(result)}) and was not published; its ${rows} failing rows are quarantined in the artifact store as blob ${blob.digest}`,
  )
}
