import {
  FiringsQuery,
  FiringsResponse,
  type FiringWire,
  PIPELINE_FIRINGS_API,
} from '@ballast/contracts'
import { type Firing, listFirings } from '../../orchestration/index.js'
import { defineRoute, type AnyRoute } from '../route.js'

export function firingToWire(f: Firing): FiringWire {
  return {
    id: f.id,
    time: f.time,
    pipeline: f.pipeline,
    trigger: f.trigger,
    kind: f.kind,
    reason: f.reason,
    values: f.values,
    outcome: f.outcome,
    run_id: f.runId,
    error: f.error,
  }
}

/** Pipeline triggers: what fired each pipeline, and what came of it. */
export const TRIGGERS_ROUTES: readonly AnyRoute[] = [
  /** `{firings}`, newest first; 404 when there is no such pipeline. */
  defineRoute({
    method: 'GET',
    path: PIPELINE_FIRINGS_API,
    permission: 'viewer',
    query: FiringsQuery,
    response: FiringsResponse,
    handler: async ({ params, query, services }) => {
      const pipeline = await services.orchestration.pipelines.get(params.name ?? '')
      const firings = await listFirings(services.store, pipeline.name, {
        ...(query.limit === undefined ? {} : { limit: query.limit }),
      })
      return { firings: firings.map(firingToWire) }
    },
  }),
]
