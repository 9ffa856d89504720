import { createWriteStream } from 'node:fs'
import { mkdtemp, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import path from 'node:path'
import { Readable } from 'node:stream'
import { pipeline } from 'node:stream/promises'
import { InvalidParameterError, NotFoundError } from '@ballast/contracts'
import { type ArtifactStore, LocalArtifactStore } from '../../artifacts/index.js'
import { DuckEngine } from '../../data/index.js'
import { type MetadataStore, presentValues } from '../../storage/index.js'
import { validateDeploymentName } from '../deployments/deployment-ref.js'
import type { FeedbackService } from './feedback-service.js'
import { type PredictionSegment, listSegments } from './prediction-segments.js'
import { sqlLiteral } from './segment-file.js'

export interface PredictionQuery {
  deployment: string
  /** Epoch milliseconds, inclusive; open when absent. */
  from?: number
  /** Epoch milliseconds, exclusive; open when absent. */
  to?: number
  /** Shadow answers (never seen by callers) too; off by default. */
  includeShadow?: boolean
}

/** The segment files holding a query's rows, readable by DuckDB until `dispose()`. */
export interface PredictionFiles {
  segments: PredictionSegment[]
  /** Parquet files, one per segment: the blobs themselves or verified temporary copies. */
  files: string[]
  /**
   * A parenthesized DuckDB subquery over the files with the query's time range and shadow filter,
   * to put after FROM. It has the segment columns even when no segment matched.
   */
  relation: string
  /** Removes the temporary copies. */
  dispose(): Promise<void>
}

export interface ExportResult {
  rows: number
  /** Rows that have a label. */
  labeled: number
  segments: number
}

export interface PredictionStore {
  query(query: PredictionQuery): Promise<PredictionFiles>
  /**
   * Writes the query's predictions to `output` as one Parquet file, ordered by time, each with its
   * label (`label`, `label_time`; null when none was fed back), joined on request_id.
   */
  exportPredictions(query: PredictionQuery & { output: string }): Promise<ExportResult>
  /** Which of these blobs hold a segment of the log. */
  referencedBlobs(digests: readonly string[]): Promise<Set<string>>
}

export interface PredictionStoreDependencies {
  store: MetadataStore
  artifacts: ArtifactStore
  feedback: FeedbackService
  /** Engine for exports; one is opened per export (and closed) when absent. */
  engine?: () => Promise<DuckEngine>
}

const EMPTY_RELATION =
  '(SELECT NULL::VARCHAR AS request_id, NULL::VARCHAR AS deployment, NULL::VARCHAR AS model, ' +
  'NULL::BIGINT AS version, NULL::TIMESTAMP AS time, NULL::DOUBLE AS latency_ms, ' +
  'NULL::VARCHAR AS inputs, NULL::VARCHAR AS outputs, NULL::BOOLEAN AS shadow WHERE false)'

function checkTime(value: number | undefined, field: string): void {
  if (value !== undefined && !Number.isSafeInteger(value)) {
    throw new InvalidParameterError(
      `Invalid value for parameter '${field}': expected epoch milliseconds, got ${value}`,
    )
  }
}

/** A readable path to the segment's blob: the blob itself when local, else a copy under `dir()`. */
export async function segmentFile(
  artifacts: ArtifactStore,
  segment: PredictionSegment,
  dir: () => Promise<string>,
): Promise<string> {
  if (artifacts instanceof LocalArtifactStore) {
    if ((await artifacts.stat(segment.blobDigest)) === undefined) {
      throw new NotFoundError(
        `prediction segment ${segment.id} of deployment '${segment.deployment}' (blob ${segment.blobDigest}) is missing from the artifact store`,
      )
    }
    return artifacts.blobPath(segment.blobDigest)
  }
  const file = path.join(await dir(), `${segment.id}.parquet`)
  await pipeline(Readable.fromWeb(await artifacts.get(segment.blobDigest)), createWriteStream(file))
  return file
}

function relationSql(files: readonly string[], query: PredictionQuery): string {
  if (files.length === 0) return EMPTY_RELATION
  const where: string[] = []
  if (query.from !== undefined) where.push(`time >= epoch_ms(${query.from}::BIGINT)`)
  if (query.to !== undefined) where.push(`time < epoch_ms(${query.to}::BIGINT)`)
  if (query.includeShadow !== true) where.push('NOT shadow')
  const list = files.map(sqlLiteral).join(', ')
  return `(SELECT * FROM read_parquet([${list}])${where.length > 0 ? ` WHERE ${where.join(' AND ')}` : ''})`
}

export function createPredictionStore(deps: PredictionStoreDependencies): PredictionStore {
  const { store, artifacts, feedback } = deps

  async function query(q: PredictionQuery): Promise<PredictionFiles> {
    validateDeploymentName(q.deployment, 'deployment')
    checkTime(q.from, 'from')
    checkTime(q.to, 'to')
    if (q.from !== undefined && q.to !== undefined && q.from > q.to) {
      throw new InvalidParameterError(
        `Invalid value for parameter 'to': it is before 'from' (${new Date(q.to).toISOString()} < ${new Date(q.from).toISOString()})`,
      )
    }
    const range = {
      ...(q.from === undefined ? {} : { from: q.from }),
      ...(q.to === undefined ? {} : { to: q.to }),
    }
    const segments = await listSegments(store, q.deployment, range)
    let tempDir: Promise<string> | undefined
    const dir = () => (tempDir ??= mkdtemp(path.join(tmpdir(), 'ballast-predictions-')))
    const dispose = async () => {
      if (tempDir !== undefined) await rm(await tempDir, { recursive: true, force: true })
    }
    try {
      const files: string[] = []
      for (const segment of segments) files.push(await segmentFile(artifacts, segment, dir))
      return { segments, files, relation: relationSql(files, q), dispose }
    } catch (error) {
      await dispose()
      throw error
    }
  }

  async function exportPredictions(q: PredictionQuery & { output: string }): Promise<ExportResult> {
    const files = await query(q)
    const ownEngine = deps.engine === undefined
    const engine = await (deps.engine ?? (() => DuckEngine.open({ threads: 2 })))()
    try {
      return await engine.withConnection(async (connection) => {
        await connection.run(
          'CREATE TEMP TABLE labels (request_id VARCHAR PRIMARY KEY, label VARCHAR, label_time BIGINT)',
        )
        const appender = await connection.createAppender('labels', 'main', 'temp')
        try {
          for await (const page of feedback.labels(q.deployment)) {
            for (const l of page) {
              appender.appendVarchar(l.requestId)
              appender.appendVarchar(l.label)
              appender.appendBigInt(BigInt(l.time))
              appender.endRow()
            }
          }
          appender.flushSync()
        } finally {
          appender.closeSync()
        }
        await connection.run(
          `COPY (SELECT p.*, l.label, epoch_ms(l.label_time)::TIMESTAMP_MS AS label_time ` +
            `FROM ${files.relation} p LEFT JOIN temp.labels l ON p.request_id = l.request_id ` +
            `ORDER BY p.time, p.request_id, p.shadow) ` +
            `TO ${sqlLiteral(q.output)} (FORMAT parquet, COMPRESSION zstd)`,
        )
        const reader = await connection.runAndReadAll(
          `SELECT count(*)::DOUBLE AS n, count(label)::DOUBLE AS labeled FROM read_parquet(${sqlLiteral(q.output)})`,
        )
        const [n, labeled] = reader.getRows()[0] ?? [0, 0]
        return { rows: Number(n), labeled: Number(labeled), segments: files.segments.length }
      })
    } finally {
      if (ownEngine) engine.close()
      await files.dispose()
    }
  }

  return {
    query,
    exportPredictions,
    referencedBlobs: (digests) =>
      presentValues(store, 'prediction_segments', 'blob_digest', digests),
  }
}
