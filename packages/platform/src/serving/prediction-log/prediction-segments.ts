import { randomBytes } from 'node:crypto'
import type { MetadataStore } from '../../storage/index.js'

/** A Parquet file of the prediction log: one deployment's rows from one flush. */
export interface PredictionSegment {
  id: string
  deployment: string
  /** Epoch milliseconds of the earliest and latest request in the segment. */
  minTime: number
  maxTime: number
  rows: number
  blobDigest: string
  createdAt: number
}

/** A time range in epoch milliseconds: `from` inclusive, `to` exclusive; either may be open. */
export interface TimeRange {
  from?: number
  to?: number
}

export function newSegmentId(): string {
  return randomBytes(16).toString('hex')
}

/** Takes a store or a transaction (`{ db: trx }`), so a row can be inserted with other changes. */
export async function insertSegment(
  store: Pick<MetadataStore, 'db'>,
  segment: PredictionSegment,
): Promise<void> {
  await store.db
    .insertInto('prediction_segments')
    .values({
      id: segment.id,
      deployment: segment.deployment,
      min_time: segment.minTime,
      max_time: segment.maxTime,
      rows: segment.rows,
      blob_digest: segment.blobDigest,
      created_at: segment.createdAt,
    })
    .execute()
}

/** A deployment's segments that may hold rows in `range`, oldest first. */
export async function listSegments(
  store: MetadataStore,
  deployment: string,
  range: TimeRange = {},
): Promise<PredictionSegment[]> {
  let query = store.db
    .selectFrom('prediction_segments')
    .selectAll()
    .where('deployment', '=', deployment)
  if (range.to !== undefined) query = query.where('min_time', '<', range.to)
  if (range.from !== undefined) query = query.where('max_time', '>=', range.from)
  const rows = await query.orderBy('min_time').orderBy('created_at').orderBy('id').execute()
  return rows.map(toSegment)
}

/**
 * A deployment's segments of fewer than `maxRows` rows whose latest request is before
 * `maxTimeBefore`, in the order `listSegments` returns them.
 */
export async function listSmallSegments(
  store: MetadataStore,
  deployment: string,
  limits: { maxTimeBefore: number; maxRows: number },
): Promise<PredictionSegment[]> {
  const rows = await store.db
    .selectFrom('prediction_segments')
    .selectAll()
    .where('deployment', '=', deployment)
    .where('max_time', '<', limits.maxTimeBefore)
    .where('rows', '<', limits.maxRows)
    .orderBy('min_time')
    .orderBy('created_at')
    .orderBy('id')
    .execute()
  return rows.map(toSegment)
}

/** Deployments that have at least one segment. */
export async function listSegmentDeployments(store: MetadataStore): Promise<string[]> {
  const rows = await store.db
    .selectFrom('prediction_segments')
    .select('deployment')
    .distinct()
    .orderBy('deployment')
    .execute()
  return rows.map((r) => r.deployment)
}

function toSegment(r: {
  id: string
  deployment: string
  min_time: number | string | bigint
  max_time: number | string | bigint
  rows: number | string | bigint
  blob_digest: string
  created_at: number | string | bigint
}): PredictionSegment {
  return {
    id: r.id,
    deployment: r.deployment,
    minTime: Number(r.min_time),
    maxTime: Number(r.max_time),
    rows: Number(r.rows),
    blobDigest: r.blob_digest,
    createdAt: Number(r.created_at),
  }
}
