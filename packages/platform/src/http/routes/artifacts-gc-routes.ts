import { ArtifactGcRequest, ArtifactGcResponse, MAX_GC_BLOBS_LISTED } from '@ballast/contracts'
import { collectArtifactGarbage } from '../../runtime/artifact-gc.js'
import { type AnyRoute, defineRoute } from '../route.js'

/** Storage upkeep: admins only, as it deletes data nothing refers to any more. */
export const ARTIFACTS_GC_ROUTES: readonly AnyRoute[] = [
  defineRoute({
    method: 'POST',
    path: '/api/v1/artifacts/gc',
    body: ArtifactGcRequest,
    response: ArtifactGcResponse,
    permission: 'admin',
    handler: async ({ body, services, actor }) => {
      const result = await collectArtifactGarbage(services, {
        actor: actor.name,
        ...(body.min_age_ms === undefined ? {} : { minAgeMs: body.min_age_ms }),
        ...(body.dry_run === undefined ? {} : { dryRun: body.dry_run }),
      })
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
    },
  }),
]
