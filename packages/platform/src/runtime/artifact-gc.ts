import { InvalidParameterError } from '@ballast/contracts'
import type { StoredBlob } from '../artifacts/artifact-store.js'
import { appendAudit } from '../governance/index.js'
import type { Services } from './services.js'

/** Blobs younger than this are kept by default: a week, as quarantined rows are kept. */
export const DEFAULT_GC_MIN_AGE_MS = 7 * 24 * 3_600_000

/** Blobs checked against the store per round trip. */
const BATCH = 500

export interface ArtifactGcOptions {
  /** Only blobs last put at least this long ago are candidates. */
  minAgeMs?: number
  /** Lists what would go without deleting anything. */
  dryRun?: boolean
  /** Who asked, for the audit log. */
  actor: string
  /** Epoch milliseconds; tests pin it. */
  now?: () => number
  /** Checked between batches: an aborted sweep stops, with what it removed so far removed. */
  signal?: AbortSignal
  /** After each batch of blobs. */
  onProgress?(progress: { listed: number; deleted: number }): void
}

export interface ArtifactGcResult {
  /** Blobs in the artifact store. */
  listed: number
  /** Blobs a dataset version, artifact file or prediction segment refers to. */
  referenced: number
  /** Unreferenced blobs spared for being younger than the minimum age. */
  young: number
  /** Unreferenced old blobs removed (or that would be, in a dry run). */
  deleted: StoredBlob[]
  bytes: number
  dryRun: boolean
}

/**
 * Removes the blobs of the artifact store that nothing refers to: left by a deleted artifact file,
 * a prediction-log segment that lost a compaction race or a process that died between storing a
 * blob and recording it, and quarantined rows of failed ingests. Content is shared (the store is
 * content-addressed), so a blob goes only when no dataset version, artifact file or prediction
 * segment names it, and only when its last put is older than `minAgeMs`: a put of stored content
 * renews its time, so a blob about to be referenced again is young. Each candidate is checked
 * once more just before it is deleted; a put of the same bytes landing between that check and the
 * delete is the one race left (the grace period of `git gc` has the same).
 */
export async function collectArtifactGarbage(
  services: Services,
  options: ArtifactGcOptions,
): Promise<ArtifactGcResult> {
  const minAgeMs = options.minAgeMs ?? DEFAULT_GC_MIN_AGE_MS
  if (!Number.isFinite(minAgeMs) || minAgeMs < 0) {
    throw new InvalidParameterError(
      `minimum age must be zero or more milliseconds, got ${minAgeMs}`,
    )
  }
  const now = options.now ?? Date.now
  const dryRun = options.dryRun ?? false
  const cutoff = now() - minAgeMs
  const result: ArtifactGcResult = {
    listed: 0,
    referenced: 0,
    young: 0,
    deleted: [],
    bytes: 0,
    dryRun,
  }
  const referenced = async (digests: readonly string[]): Promise<Set<string>> => {
    const sets = await Promise.all([
      services.data.referencedBlobs(digests),
      services.tracking.artifacts.referencedBlobs(digests),
      services.serving.predictions.referencedBlobs(digests),
    ])
    return new Set(sets.flatMap((s) => [...s]))
  }
  const sweep = async (batch: StoredBlob[]) => {
    const used = await referenced(batch.map((b) => b.digest))
    for (const blob of batch) {
      if (used.has(blob.digest)) {
        result.referenced++
        continue
      }
      if (blob.modifiedMs > cutoff) {
        result.young++
        continue
      }
      if (!dryRun) {
        // Checked again: referenced or put again since it was listed means it stays.
        if ((await referenced([blob.digest])).size > 0) {
          result.referenced++
          continue
        }
        const current = await services.artifacts.stored(blob.digest)
        if (current === undefined) continue // deleted by another sweep meanwhile
        if (current.modifiedMs > cutoff) {
          result.young++
          continue
        }
        await services.artifacts.delete(blob.digest)
      }
      result.deleted.push(blob)
      result.bytes += blob.size
    }
    options.onProgress?.({ listed: result.listed, deleted: result.deleted.length })
  }

  let batch: StoredBlob[] = []
  try {
    for await (const blob of services.artifacts.list()) {
      result.listed++
      batch.push(blob)
      if (batch.length === BATCH) {
        options.signal?.throwIfAborted()
        await sweep(batch)
        batch = []
      }
    }
    options.signal?.throwIfAborted()
    await sweep(batch)
  } finally {
    if (!dryRun && result.deleted.length > 0) await audit(services, options.actor, result, minAgeMs)
  }
  return result
}

/** One entry per sweep that removed something, also when it was stopped halfway. */
async function audit(
  services: Services,
  actor: string,
  result: ArtifactGcResult,
  minAgeMs: number,
): Promise<void> {
  await services.store.db.transaction().execute((trx) =>
    appendAudit(trx, {
      actor,
      action: 'artifacts.gc',
      target: 'artifacts',
      detail: {
        deleted: result.deleted.length,
        bytes: result.bytes,
        minAgeMs,
        store: services.artifacts.description,
      },
    }),
  )
}
