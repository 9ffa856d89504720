import {
  MlflowCreateRunRequest,
  MlflowEmptyResponse,
  MlflowRunIdRequest,
  MlflowRunResponse,
  MlflowSearchRunsRequest,
  MlflowSearchRunsResponse,
  MlflowUpdateRunRequest,
  MlflowUpdateRunResponse,
} from '@ballast/contracts'
import type { Services } from '../../runtime/services.js'
import { type AnyRoute, defineRoute } from '../route.js'

function searchRuns(services: Services, request: MlflowSearchRunsRequest) {
  return services.tracking.runs.search({
    experimentIds: request.experiment_ids,
    filter: request.filter,
    runViewType: request.run_view_type,
    maxResults: request.max_results,
    orderBy: request.order_by,
    pageToken: request.page_token,
  })
}

/** MLflow's run life-cycle and search endpoints, relative to `/api/2.0/mlflow` (see mlflow-api-routes.ts). */
export const MLFLOW_RUN_ROUTES: readonly AnyRoute[] = [
  defineRoute({
    method: 'POST',
    path: '/runs/create',
    body: MlflowCreateRunRequest,
    response: MlflowRunResponse,
    permission: 'editor',
    handler: async ({ body, services, actor }) => ({
      run: await services.tracking.runs.create(
        {
          experimentId: body.experiment_id,
          userId: body.user_id,
          runName: body.run_name,
          startTime: body.start_time,
          tags: body.tags,
        },
        actor.name,
      ),
    }),
  }),
  defineRoute({
    method: 'GET',
    path: '/runs/get',
    query: MlflowRunIdRequest,
    response: MlflowRunResponse,
    permission: 'viewer',
    handler: async ({ query, services }) => ({
      run: await services.tracking.runs.get(query.run_id),
    }),
  }),
  defineRoute({
    method: 'POST',
    path: '/runs/update',
    body: MlflowUpdateRunRequest,
    response: MlflowUpdateRunResponse,
    permission: 'editor',
    handler: async ({ body, services }) => ({
      run_info: await services.tracking.runs.update(body.run_id, {
        status: body.status,
        endTime: body.end_time,
        runName: body.run_name,
      }),
    }),
  }),
  defineRoute({
    method: 'POST',
    path: '/runs/delete',
    body: MlflowRunIdRequest,
    response: MlflowEmptyResponse,
    permission: 'editor',
    handler: async ({ body, services }) => {
      await services.tracking.runs.delete(body.run_id)
      return {}
    },
  }),
  defineRoute({
    method: 'POST',
    path: '/runs/restore',
    body: MlflowRunIdRequest,
    response: MlflowEmptyResponse,
    permission: 'editor',
    handler: async ({ body, services }) => {
      await services.tracking.runs.restore(body.run_id)
      return {}
    },
  }),
  defineRoute({
    method: 'POST',
    path: '/runs/search',
    body: MlflowSearchRunsRequest,
    response: MlflowSearchRunsResponse,
    permission: 'viewer',
    handler: ({ body, services }) => searchRuns(services, body),
  }),
  // Not in MLflow's spec, but its GET query conventions apply (`experiment_ids=0`, repeated keys).
  defineRoute({
    method: 'GET',
    path: '/runs/search',
    query: MlflowSearchRunsRequest,
    response: MlflowSearchRunsResponse,
    permission: 'viewer',
    handler: ({ query, services }) => searchRuns(services, query),
  }),
]
