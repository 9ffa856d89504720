import {
  MlflowCreateExperimentRequest,
  MlflowCreateExperimentResponse,
  MlflowDeleteExperimentTagRequest,
  MlflowEmptyResponse,
  MlflowExperimentIdRequest,
  MlflowExperimentResponse,
  MlflowGetExperimentByNameRequest,
  MlflowGetExperimentRequest,
  MlflowSearchExperimentsRequest,
  MlflowSearchExperimentsResponse,
  MlflowSetExperimentTagRequest,
  MlflowUpdateExperimentRequest,
  type MlflowSearchExperimentsRequest as SearchRequest,
} from '@ballast/contracts'
import { type AnyRoute, defineRoute } from '../route.js'
import type { Services } from '../../runtime/services.js'

/** MLflow's experiment endpoints, relative to `/api/2.0/mlflow` (see mlflow-api-routes.ts). */

function search(services: Services, request: SearchRequest) {
  return services.tracking.experiments.search({
    filter: request.filter,
    viewType: request.view_type,
    maxResults: request.max_results,
    orderBy: request.order_by,
    pageToken: request.page_token,
  })
}

export const MLFLOW_EXPERIMENT_ROUTES: readonly AnyRoute[] = [
  defineRoute({
    method: 'POST',
    path: '/experiments/create',
    body: MlflowCreateExperimentRequest,
    response: MlflowCreateExperimentResponse,
    permission: 'editor',
    handler: async ({ body, services }) => ({
      experiment_id: await services.tracking.experiments.create({
        name: body.name,
        artifactLocation: body.artifact_location,
        tags: body.tags,
      }),
    }),
  }),
  defineRoute({
    method: 'GET',
    path: '/experiments/get',
    query: MlflowGetExperimentRequest,
    response: MlflowExperimentResponse,
    permission: 'viewer',
    handler: async ({ query, services }) => ({
      experiment: await services.tracking.experiments.get(query.experiment_id),
    }),
  }),
  defineRoute({
    method: 'GET',
    path: '/experiments/get-by-name',
    query: MlflowGetExperimentByNameRequest,
    response: MlflowExperimentResponse,
    permission: 'viewer',
    handler: async ({ query, services }) => ({
      experiment: await services.tracking.experiments.getByName(query.experiment_name),
    }),
  }),
  defineRoute({
    method: 'POST',
    path: '/experiments/search',
    body: MlflowSearchExperimentsRequest,
    response: MlflowSearchExperimentsResponse,
    permission: 'viewer',
    handler: ({ body, services }) => search(services, body),
  }),
  defineRoute({
    method: 'GET',
    path: '/experiments/search',
    query: MlflowSearchExperimentsRequest,
    response: MlflowSearchExperimentsResponse,
    permission: 'viewer',
    handler: ({ query, services }) => search(services, query),
  }),
  defineRoute({
    method: 'POST',
    path: '/experiments/update',
    body: MlflowUpdateExperimentRequest,
    response: MlflowEmptyResponse,
    permission: 'editor',
    handler: async ({ body, services }) => {
      await services.tracking.experiments.rename(body.experiment_id, body.new_name)
      return {}
    },
  }),
  defineRoute({
    method: 'POST',
    path: '/experiments/delete',
    body: MlflowExperimentIdRequest,
    response: MlflowEmptyResponse,
    permission: 'editor',
    handler: async ({ body, services }) => {
      await services.tracking.experiments.delete(body.experiment_id)
      return {}
    },
  }),
  defineRoute({
    method: 'POST',
    path: '/experiments/restore',
    body: MlflowExperimentIdRequest,
    response: MlflowEmptyResponse,
    permission: 'editor',
    handler: async ({ body, services }) => {
      await services.tracking.experiments.restore(body.experiment_id)
      return {}
    },
  }),
  defineRoute({
    method: 'POST',
    path: '/experiments/set-experiment-tag',
    body: MlflowSetExperimentTagRequest,
    response: MlflowEmptyResponse,
    permission: 'editor',
    handler: async ({ body, services }) => {
      await services.tracking.experiments.setTag(body.experiment_id, body.key, body.value)
      return {}
    },
  }),
  defineRoute({
    method: 'POST',
    path: '/experiments/delete-experiment-tag',
    body: MlflowDeleteExperimentTagRequest,
    response: MlflowEmptyResponse,
    permission: 'editor',
    handler: async ({ body, services }) => {
      await services.tracking.experiments.deleteTag(body.experiment_id, body.key)
      return {}
    },
  }),
]
