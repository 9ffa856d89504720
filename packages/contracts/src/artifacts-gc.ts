import { z } from 'zod'
import { JobRecord } from './jobs.js'

/**
 * `POST /api/v1/artifacts/gc` (admin) queues an `artifact-gc` job (202 `{job}`) that removes the
 * artifact store's blobs no dataset version, artifact file or prediction segment refers to, once
 * their last put is older than `min_age_ms`. The job's result is an ArtifactGcResult.
 */
export const ArtifactGcRequest = z
  .object({
    /** Default 7 days. */
    min_age_ms: z.number().int().min(0).optional(),
    /** List what would be removed, remove nothing. */
    dry_run: z.boolean().optional(),
  })
  .strict()
export type ArtifactGcRequest = z.output<typeof ArtifactGcRequest>

export const ArtifactGcResponse = z.object({ job: JobRecord })
export type ArtifactGcResponse = z.output<typeof ArtifactGcResponse>

/** Most removed blobs a result lists one by one; the counts cover all of them. */
export const MAX_GC_BLOBS_LISTED = 1000

export const ArtifactGcResult = z.object({
  dry_run: z.boolean(),
  /** Blobs in the store. */
  listed: z.number().int().min(0),
  /** Blobs something refers to. */
  referenced: z.number().int().min(0),
  /** Unreferenced blobs kept for being younger than the minimum age. */
  young: z.number().int().min(0),
  /** Blobs removed (or, in a dry run, that would be). */
  deleted: z.number().int().min(0),
  bytes: z.number().int().min(0),
  /** The first MAX_GC_BLOBS_LISTED of them. */
  blobs: z.array(
    z.object({ digest: z.string(), size: z.number().int(), modified: z.number().int() }),
  ),
})
export type ArtifactGcResult = z.output<typeof ArtifactGcResult>
