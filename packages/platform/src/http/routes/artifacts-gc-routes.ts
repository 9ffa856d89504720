import { ArtifactGcRequest, ArtifactGcResponse } from '@ballast/contracts'
import { ARTIFACT_GC_JOB } from '../../runtime/artifact-gc-job.js'
import { type AnyRoute, defineRoute } from '../route.js'

/** Storage upkeep: admins only, as it deletes data nothing refers to any more. */
export const ARTIFACTS_GC_ROUTES: readonly AnyRoute[] = [
  /** 202 `{job}`: an `artifact-gc` job, whose result is an ArtifactGcResult. */
  defineRoute({
    method: 'POST',
    path: '/api/v1/artifacts/gc',
    body: ArtifactGcRequest,
    response: ArtifactGcResponse,
    permission: 'admin',
    handler: async ({ body, services, actor, c }) => {
      const job = await services.jobs.enqueue({
        kind: ARTIFACT_GC_JOB,
        payload: body,
        createdBy: actor.name,
      })
      return c.json({ job }, 202)
    },
  }),
]
