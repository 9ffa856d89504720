import {
  MlflowCreateModelVersionRequest,
  MlflowCreateRegisteredModelRequest,
  MlflowDeleteModelVersionTagRequest,
  MlflowDeleteRegisteredModelTagRequest,
  MlflowEmptyResponse,
  MlflowGetLatestVersionsRequest,
  type MlflowGetLatestVersionsRequest as LatestVersionsRequest,
  MlflowModelVersionDownloadUriResponse,
  MlflowModelVersionRequest,
  MlflowModelVersionResponse,
  MlflowModelVersionsResponse,
  MlflowRegisteredModelAliasRequest,
  MlflowRegisteredModelNameRequest,
  MlflowRegisteredModelResponse,
  MlflowRenameRegisteredModelRequest,
  MlflowSearchModelVersionsRequest,
  MlflowSearchModelVersionsResponse,
  MlflowSearchRegisteredModelsRequest,
  MlflowSearchRegisteredModelsResponse,
  MlflowSetModelVersionTagRequest,
  MlflowSetRegisteredModelAliasRequest,
  MlflowSetRegisteredModelTagRequest,
  MlflowTransitionModelVersionStageRequest,
  MlflowUpdateModelVersionRequest,
  MlflowUpdateRegisteredModelRequest,
} from '@ballast/contracts'
import { type AnyRoute, defineRoute } from '../route.js'
import { refuseIfDeployed } from './deployed-model-guard.js'

/**
 * MLflow's model-registry endpoints, relative to `/api/2.0/mlflow` (see mlflow-api-routes.ts),
 * with MLflow's methods: GET reads, POST creates, PATCH updates, DELETE deletes (body in JSON).
 */

const REGISTERED_MODEL_ROUTES: readonly AnyRoute[] = [
  defineRoute({
    method: 'POST',
    path: '/registered-models/create',
    body: MlflowCreateRegisteredModelRequest,
    response: MlflowRegisteredModelResponse,
    permission: 'editor',
    handler: async ({ body, services, actor }) => ({
      registered_model: await services.registry.models.create(body, actor.name),
    }),
  }),
  defineRoute({
    method: 'GET',
    path: '/registered-models/get',
    query: MlflowRegisteredModelNameRequest,
    response: MlflowRegisteredModelResponse,
    permission: 'viewer',
    handler: async ({ query, services }) => ({
      registered_model: await services.registry.models.get(query.name),
    }),
  }),
  defineRoute({
    method: 'GET',
    path: '/registered-models/search',
    query: MlflowSearchRegisteredModelsRequest,
    response: MlflowSearchRegisteredModelsResponse,
    permission: 'viewer',
    handler: ({ query, services }) =>
      services.registry.models.search({
        filter: query.filter,
        maxResults: query.max_results,
        orderBy: query.order_by,
        pageToken: query.page_token,
      }),
  }),
  defineRoute({
    method: 'POST',
    path: '/registered-models/rename',
    body: MlflowRenameRegisteredModelRequest,
    response: MlflowRegisteredModelResponse,
    permission: 'editor',
    handler: async ({ body, services, actor }) => {
      await refuseIfDeployed(services, 'rename', body.name)
      return {
        registered_model: await services.registry.models.rename(
          body.name,
          body.new_name,
          actor.name,
        ),
      }
    },
  }),
  defineRoute({
    method: 'PATCH',
    path: '/registered-models/update',
    body: MlflowUpdateRegisteredModelRequest,
    response: MlflowRegisteredModelResponse,
    permission: 'editor',
    handler: async ({ body, services, actor }) => ({
      registered_model: await services.registry.models.update(
        body.name,
        body.description,
        actor.name,
      ),
    }),
  }),
  defineRoute({
    method: 'DELETE',
    path: '/registered-models/delete',
    body: MlflowRegisteredModelNameRequest,
    response: MlflowEmptyResponse,
    permission: 'editor',
    handler: async ({ body, services, actor }) => {
      await refuseIfDeployed(services, 'delete', body.name)
      await services.registry.models.delete(body.name, actor.name)
      return {}
    },
  }),
  defineRoute({
    method: 'POST',
    path: '/registered-models/set-tag',
    body: MlflowSetRegisteredModelTagRequest,
    response: MlflowEmptyResponse,
    permission: 'editor',
    handler: async ({ body, services }) => {
      await services.registry.models.setTag(body.name, body.key, body.value)
      return {}
    },
  }),
  defineRoute({
    method: 'DELETE',
    path: '/registered-models/delete-tag',
    body: MlflowDeleteRegisteredModelTagRequest,
    response: MlflowEmptyResponse,
    permission: 'editor',
    handler: async ({ body, services }) => {
      await services.registry.models.deleteTag(body.name, body.key)
      return {}
    },
  }),
  // Deprecated in MLflow with stages, and still called by its clients; a read, under POST too.
  ...(['POST', 'GET'] as const).map((method) =>
    defineRoute({
      method,
      path: '/registered-models/get-latest-versions',
      ...(method === 'POST'
        ? { body: MlflowGetLatestVersionsRequest }
        : { query: MlflowGetLatestVersionsRequest }),
      response: MlflowModelVersionsResponse,
      permission: 'viewer',
      handler: async ({ body, query, services }) => {
        const request: LatestVersionsRequest = method === 'POST' ? body : query
        const versions = await services.registry.versions.latestVersions(
          request.name,
          request.stages,
        )
        return versions.length === 0 ? {} : { model_versions: versions }
      },
    }),
  ),
  defineRoute({
    method: 'POST',
    path: '/registered-models/alias',
    body: MlflowSetRegisteredModelAliasRequest,
    response: MlflowEmptyResponse,
    permission: 'editor',
    handler: async ({ body, services, actor }) => {
      await services.registry.aliases.set(
        {
          name: body.name,
          alias: body.alias,
          version: body.version,
          expectedVersion: body.expected_version,
        },
        actor.name,
      )
      return {}
    },
  }),
  defineRoute({
    method: 'DELETE',
    path: '/registered-models/alias',
    body: MlflowRegisteredModelAliasRequest,
    response: MlflowEmptyResponse,
    permission: 'editor',
    handler: async ({ body, services, actor }) => {
      await services.registry.aliases.delete(body.name, body.alias, actor.name)
      return {}
    },
  }),
  defineRoute({
    method: 'GET',
    path: '/registered-models/alias',
    query: MlflowRegisteredModelAliasRequest,
    response: MlflowModelVersionResponse,
    permission: 'viewer',
    handler: async ({ query, services }) => ({
      model_version: await services.registry.aliases.get(query.name, query.alias),
    }),
  }),
]

const MODEL_VERSION_ROUTES: readonly AnyRoute[] = [
  defineRoute({
    method: 'POST',
    path: '/model-versions/create',
    body: MlflowCreateModelVersionRequest,
    response: MlflowModelVersionResponse,
    permission: 'editor',
    handler: async ({ body, services, actor }) => ({
      model_version: await services.registry.versions.create(
        {
          name: body.name,
          source: body.source,
          runId: body.run_id,
          tags: body.tags,
          runLink: body.run_link,
          description: body.description,
        },
        actor.name,
      ),
    }),
  }),
  defineRoute({
    method: 'GET',
    path: '/model-versions/get',
    query: MlflowModelVersionRequest,
    response: MlflowModelVersionResponse,
    permission: 'viewer',
    handler: async ({ query, services }) => ({
      model_version: await services.registry.versions.get(query.name, query.version),
    }),
  }),
  defineRoute({
    method: 'GET',
    path: '/model-versions/search',
    query: MlflowSearchModelVersionsRequest,
    response: MlflowSearchModelVersionsResponse,
    permission: 'viewer',
    handler: ({ query, services }) =>
      services.registry.versions.search({
        filter: query.filter,
        maxResults: query.max_results,
        orderBy: query.order_by,
        pageToken: query.page_token,
      }),
  }),
  defineRoute({
    method: 'PATCH',
    path: '/model-versions/update',
    body: MlflowUpdateModelVersionRequest,
    response: MlflowModelVersionResponse,
    permission: 'editor',
    handler: async ({ body, services, actor }) => ({
      model_version: await services.registry.versions.update(
        body.name,
        body.version,
        body.description,
        actor.name,
      ),
    }),
  }),
  defineRoute({
    method: 'POST',
    path: '/model-versions/transition-stage',
    body: MlflowTransitionModelVersionStageRequest,
    response: MlflowModelVersionResponse,
    permission: 'editor',
    handler: async ({ body, services, actor }) => ({
      model_version: await services.registry.versions.transitionStage(
        body.name,
        body.version,
        body.stage,
        body.archive_existing_versions,
        actor.name,
      ),
    }),
  }),
  defineRoute({
    method: 'DELETE',
    path: '/model-versions/delete',
    body: MlflowModelVersionRequest,
    response: MlflowEmptyResponse,
    permission: 'editor',
    handler: async ({ body, services, actor }) => {
      await refuseIfDeployed(services, 'delete', body.name, body.version)
      await services.registry.versions.delete(body.name, body.version, actor.name)
      return {}
    },
  }),
  defineRoute({
    method: 'POST',
    path: '/model-versions/set-tag',
    body: MlflowSetModelVersionTagRequest,
    response: MlflowEmptyResponse,
    permission: 'editor',
    handler: async ({ body, services }) => {
      await services.registry.versions.setTag(body.name, body.version, body.key, body.value)
      return {}
    },
  }),
  defineRoute({
    method: 'DELETE',
    path: '/model-versions/delete-tag',
    body: MlflowDeleteModelVersionTagRequest,
    response: MlflowEmptyResponse,
    permission: 'editor',
    handler: async ({ body, services }) => {
      await services.registry.versions.deleteTag(body.name, body.version, body.key)
      return {}
    },
  }),
  defineRoute({
    method: 'GET',
    path: '/model-versions/get-download-uri',
    query: MlflowModelVersionRequest,
    response: MlflowModelVersionDownloadUriResponse,
    permission: 'viewer',
    handler: async ({ query, services }) => ({
      artifact_uri: await services.registry.versions.downloadUri(query.name, query.version),
    }),
  }),
]

/** Every model-registry route, relative to `/api/2.0/mlflow`. */
export const MLFLOW_REGISTRY_ROUTES: readonly AnyRoute[] = [
  ...REGISTERED_MODEL_ROUTES,
  ...MODEL_VERSION_ROUTES,
]
