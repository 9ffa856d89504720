import { createReadStream } from 'node:fs'
import { mkdir, mkdtemp, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import path from 'node:path'
import type { Logger } from 'pino'
import type { ArtifactStore, BlobInfo } from '../../artifacts/index.js'
import type { DuckEngine } from '../../data/index.js'
import { type MetadataStore, presentValues } from '../../storage/index.js'
import {
  type PredictionSegment,
  insertSegment,
  listSegmentDeployments,
  listSmallSegments,
  newSegmentId,
} from './prediction-segments.js'
import { segmentFile } from './prediction-store.js'
import { sqlLiteral } from './segment-file.js'

/** Segments whose latest request is younger than this are left for the log to finish. */
export const DEFAULT_COMPACTION_AGE_MS = 10 * 60_000
export const DEFAULT_COMPACTION_TARGET_ROWS = 1_000_000
/** Files one merge reads at most: bounds the SQL text, open files and temporary copies. */
export const MAX_SEGMENTS_PER_MERGE = 2_000

export interface CompactSegmentsOptions {
  store: MetadataStore
  artifacts: ArtifactStore
  engine: DuckEngine
  /** Only this deployment; every deployment with segments when absent. */
  deployment?: string
  /** Only segments whose latest request is at least this old (ms) are merged. */
  olderThanMs?: number
  /** Largest merged segment. Segments of half this or more are already compact and left alone. */
  targetRows?: number
  /** Epoch milliseconds; `Date.now` when absent. */
  now?: () => number
  /**
   * Delete the replaced blobs right after the switch (default). A caller that turns this off gets
   * them in `staleBlobs` and deletes them later, so that a query that listed the old segments just
   * before the switch can still read them.
   */
  deleteOldBlobs?: boolean
  logger?: Logger
  /** Called once the merged blob is stored, before the segment rows are switched. */
  onBlobWritten?: (blob: BlobInfo, replaced: readonly PredictionSegment[]) => void | Promise<void>
}

export interface CompactionResult {
  /** Old segments replaced by merged ones. */
  replaced: number
  /** Merged segments written. */
  written: number
  /** Rows moved into merged segments. */
  rows: number
  /** Merges abandoned because another process had already replaced some of their segments. */
  skipped: number
  /** Merges that failed (read, write or store error); their segments are unchanged. */
  failed: number
  /** Blobs of replaced segments that no segment uses any more (deleted unless told otherwise). */
  staleBlobs: string[]
}

/** Thrown inside the switch transaction to roll it back. */
class AlreadyCompacted extends Error {}

/**
 * Consecutive small segments (in listing order), grouped into merges of at most `targetRows` rows
 * and `MAX_SEGMENTS_PER_MERGE` files. A group of one is not worth rewriting.
 */
export function planMerges(
  segments: readonly PredictionSegment[],
  targetRows: number,
): PredictionSegment[][] {
  const merges: PredictionSegment[][] = []
  let group: PredictionSegment[] = []
  let rows = 0
  const close = () => {
    if (group.length > 1) merges.push(group)
    group = []
    rows = 0
  }
  for (const segment of segments) {
    if (rows + segment.rows > targetRows || group.length >= MAX_SEGMENTS_PER_MERGE) close()
    group.push(segment)
    rows += segment.rows
  }
  close()
  return merges
}

/**
 * Merges each deployment's small, settled segments into segments of up to `targetRows` rows
 * ordered by time (ties keep their logged order). For each merge the new blob is stored first, then
 * one transaction deletes exactly the merged rows and inserts the new one; if any row is already
 * gone (another process compacted it) the transaction rolls back and the merge is skipped. A crash
 * at any point leaves either the old rows or the new one, never both: at worst an unused blob.
 */
export async function compactSegments(options: CompactSegmentsOptions): Promise<CompactionResult> {
  const { store, logger } = options
  const targetRows = Math.max(2, Math.trunc(options.targetRows ?? DEFAULT_COMPACTION_TARGET_ROWS))
  const now = (options.now ?? Date.now)()
  const maxTimeBefore = now - (options.olderThanMs ?? DEFAULT_COMPACTION_AGE_MS)
  const deployments =
    options.deployment === undefined ? await listSegmentDeployments(store) : [options.deployment]
  const result: CompactionResult = {
    replaced: 0,
    written: 0,
    rows: 0,
    skipped: 0,
    failed: 0,
    staleBlobs: [],
  }
  const stale = new Set<string>()
  for (const deployment of deployments) {
    const small = await listSmallSegments(store, deployment, {
      maxTimeBefore,
      maxRows: Math.ceil(targetRows / 2),
    })
    for (const group of planMerges(small, targetRows)) {
      try {
        const merged = await mergeGroup(options, deployment, group, now)
        if (merged === undefined) {
          result.skipped += 1
          continue
        }
        result.replaced += group.length
        result.written += 1
        result.rows += merged.rows
        for (const segment of group) {
          if (segment.blobDigest !== merged.blobDigest) stale.add(segment.blobDigest)
        }
      } catch (error) {
        result.failed += 1
        logger?.warn(
          { err: error, deployment, segments: group.length },
          'prediction segment compaction failed; the segments are unchanged',
        )
      }
    }
  }
  result.staleBlobs = await unreferenced(store, [...stale])
  if (options.deleteOldBlobs !== false) {
    await deleteBlobs(options.artifacts, result.staleBlobs, logger)
  }
  if (result.written > 0 || result.skipped > 0) {
    logger?.info(
      {
        replaced: result.replaced,
        written: result.written,
        rows: result.rows,
        skipped: result.skipped,
      },
      'prediction segments compacted',
    )
  }
  return result
}

/** The merged segment once switched in, or undefined when another process got there first. */
async function mergeGroup(
  options: CompactSegmentsOptions,
  deployment: string,
  group: readonly PredictionSegment[],
  now: number,
): Promise<PredictionSegment | undefined> {
  const { store, artifacts } = options
  const dir = await mkdtemp(path.join(tmpdir(), 'ballast-compaction-'))
  try {
    // Copies of blobs that are not local files (S3), removed with the rest of `dir`.
    const copies = path.join(dir, 'copies')
    let copiesMade: Promise<string> | undefined
    const copyDir = () => (copiesMade ??= mkdir(copies).then(() => copies))
    const files: string[] = []
    for (const segment of group) files.push(await segmentFile(artifacts, segment, copyDir))
    const output = path.join(dir, 'merged.parquet')
    await writeMerged(options.engine, files, output)
    const expectedRows = group.reduce((sum, s) => sum + s.rows, 0)
    const [stats] = await options.engine.all(
      `SELECT count(*)::DOUBLE AS n FROM read_parquet(${sqlLiteral(output)})`,
    )
    if (Number(stats?.n) !== expectedRows) {
      throw new Error(
        `merged segment of deployment '${deployment}' has ${String(stats?.n)} rows, expected ${expectedRows}`,
      )
    }
    const blob = await artifacts.put(createReadStream(output))
    await options.onBlobWritten?.(blob, group)
    const merged: PredictionSegment = {
      id: newSegmentId(),
      deployment,
      minTime: Math.min(...group.map((s) => s.minTime)),
      maxTime: Math.max(...group.map((s) => s.maxTime)),
      rows: expectedRows,
      blobDigest: blob.digest,
      createdAt: now,
    }
    const ids = group.map((s) => s.id)
    // Room for the deployment parameter and a margin below the backend's limit.
    const chunk = Math.max(1, store.capabilities.maxBindParameters - 10)
    try {
      await store.db.transaction().execute(async (trx) => {
        let deleted = 0n
        for (let start = 0; start < ids.length; start += chunk) {
          const r = await trx
            .deleteFrom('prediction_segments')
            .where('deployment', '=', deployment)
            .where('id', 'in', ids.slice(start, start + chunk))
            .executeTakeFirst()
          deleted += BigInt(r.numDeletedRows)
        }
        if (deleted !== BigInt(ids.length)) throw new AlreadyCompacted()
        await insertSegment({ db: trx }, merged)
      })
    } catch (error) {
      if (error instanceof AlreadyCompacted) return undefined
      throw error
    }
    return merged
  } finally {
    await rm(dir, { recursive: true, force: true })
  }
}

/** The files' rows as one Parquet file with the segment columns and types, ordered by time. */
async function writeMerged(engine: DuckEngine, files: readonly string[], output: string) {
  const list = files.map(sqlLiteral).join(', ')
  const order = files.map((file, i) => `(${sqlLiteral(file)}, ${i})`).join(', ')
  await engine.run(
    `COPY (SELECT p.request_id::VARCHAR AS request_id, p.deployment::VARCHAR AS deployment, ` +
      `p.model::VARCHAR AS model, p.version::BIGINT AS version, p.time::TIMESTAMP_MS AS time, ` +
      `p.latency_ms::DOUBLE AS latency_ms, p.inputs::VARCHAR AS inputs, ` +
      `p.outputs::VARCHAR AS outputs, p.shadow::BOOLEAN AS shadow ` +
      `FROM read_parquet([${list}], filename = true, file_row_number = true) p ` +
      `JOIN (VALUES ${order}) AS f(file, ordinal) ON f.file = p.filename ` +
      `ORDER BY p.time, f.ordinal, p.file_row_number) ` +
      `TO ${sqlLiteral(output)} (FORMAT parquet, COMPRESSION zstd)`,
  )
}

/** The digests no prediction segment refers to any more. */
async function unreferenced(store: MetadataStore, digests: readonly string[]): Promise<string[]> {
  const used = await presentValues(store, 'prediction_segments', 'blob_digest', digests)
  return digests.filter((d) => !used.has(d))
}

/**
 * Deletes the blobs among `digests` that no prediction segment refers to (checked again now, for a
 * deletion put off since the switch). Best effort: a blob left behind costs space, not rows.
 */
export async function deleteStaleBlobs(
  store: MetadataStore,
  artifacts: ArtifactStore,
  digests: readonly string[],
  logger?: Logger,
): Promise<void> {
  await deleteBlobs(artifacts, await unreferenced(store, digests), logger)
}

async function deleteBlobs(
  artifacts: ArtifactStore,
  digests: readonly string[],
  logger?: Logger,
): Promise<void> {
  for (const digest of digests) {
    try {
      await artifacts.delete(digest)
    } catch (error) {
      logger?.warn({ err: error, digest }, 'could not delete a compacted prediction segment blob')
    }
  }
}
