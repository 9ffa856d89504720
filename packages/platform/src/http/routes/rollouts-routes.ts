import { ListRolloutsQuery, ListRolloutsResponse, type RolloutWire } from '@ballast/contracts'
import { type Rollout, createRolloutStore, validateDeploymentName } from '../../serving/index.js'
import { defineRoute, type AnyRoute } from '../route.js'

export function rolloutToWire(r: Rollout): RolloutWire {
  return {
    id: r.id,
    deployment: r.deployment,
    model: r.model,
    version: r.version,
    from_version: r.fromVersion,
    percent: r.percent,
    status: r.status,
    alias: r.alias,
    alias_version: r.aliasVersion,
    started_at: r.startedAt,
    finished_at: r.finishedAt,
    figures: r.figures,
    reasons: r.reasons,
    pipeline_run: r.pipelineRun,
    step: r.step,
    created_by: r.createdBy,
  }
}

/** Rollouts made by deploy steps: viewers read them; only the steps write them. */
export const ROLLOUTS_ROUTES: readonly AnyRoute[] = [
  /** `?deployment=&status=&limit=` → `{rollouts}`, newest first. */
  defineRoute({
    method: 'GET',
    path: '/api/v1/rollouts',
    permission: 'viewer',
    query: ListRolloutsQuery,
    response: ListRolloutsResponse,
    handler: async ({ query, services }) => {
      const rollouts = await createRolloutStore(services.store).list({
        ...(query.deployment === undefined
          ? {}
          : { deployment: validateDeploymentName(query.deployment, 'deployment') }),
        ...(query.status === undefined ? {} : { status: query.status }),
        ...(query.limit === undefined ? {} : { limit: query.limit }),
      })
      return { rollouts: rollouts.map(rolloutToWire) }
    },
  }),
]
