import {
  type ArtifactGcResult,
  ArtifactGcRequest,
  InvalidParameterError,
  MAX_GC_BLOBS_LISTED,
} from '@ballast/contracts'
import { collectArtifactGarbage } from './artifact-gc.js'
import type { JobContext } from './job-types.js'

/** The job kind that sweeps the artifact store (`ballast gc`). */
export const ARTIFACT_GC_JOB = 'artifact-gc'

/** Sweeps the artifact store as the job's creator asked; the result lists what went. */
export async function runArtifactGcJob(ctx: JobContext): Promise<ArtifactGcResult> {
  const parsed = ArtifactGcRequest.safeParse(ctx.payload)
  if (!parsed.success) {
    throw new InvalidParameterError(`Invalid job payload: ${parsed.error.issues[0]?.message}`)
  }
  const request = parsed.data
  const result = await collectArtifactGarbage(ctx.services, {
    actor: ctx.job.createdBy,
    ...(request.min_age_ms === undefined ? {} : { minAgeMs: request.min_age_ms }),
    ...(request.dry_run === undefined ? {} : { dryRun: request.dry_run }),
    signal: ctx.signal,
    // How many blobs there are is known only at the end of the listing.
    onProgress: ({ listed, deleted }) =>
      ctx.progress(listed, 0, `blobs listed, ${deleted} to remove`),
  })
  const verb = result.dryRun ? 'would remove' : 'removed'
  ctx.log(`${verb} ${result.deleted.length} of ${result.listed} blobs (${result.bytes} bytes)`)
  return {
    dry_run: result.dryRun,
    listed: result.listed,
    referenced: result.referenced,
    young: result.young,
    deleted: result.deleted.length,
    bytes: result.bytes,
    blobs: result.deleted.slice(0, MAX_GC_BLOBS_LISTED).map((b) => ({
      digest: b.digest,
      size: b.size,
      modified: Math.round(b.modifiedMs),
    })),
  }
}
