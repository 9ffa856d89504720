import {
  MlflowDeleteTagRequest,
  MlflowEmptyResponse,
  MlflowKeyValueRunRequest,
  MlflowLogBatchRequest,
  MlflowLogInputsRequest,
  MlflowLogMetricRequest,
  parseWellFormedLogBatch,
} from '@ballast/contracts'
import { type AnyRoute, defineRoute } from '../route.js'

/**
 * What MLflow clients log to a run (metrics, params, tags, dataset inputs), relative to
 * `/api/2.0/mlflow` (see mlflow-api-routes.ts).
 */
export const MLFLOW_RUN_LOGGING_ROUTES: readonly AnyRoute[] = [
  defineRoute({
    method: 'POST',
    path: '/runs/log-metric',
    body: MlflowLogMetricRequest,
    response: MlflowEmptyResponse,
    permission: 'editor',
    handler: async ({ body, services }) => {
      await services.tracking.logging.logMetric(body.run_id, body)
      return {}
    },
  }),
  defineRoute({
    method: 'POST',
    path: '/runs/log-parameter',
    body: MlflowKeyValueRunRequest,
    response: MlflowEmptyResponse,
    permission: 'editor',
    handler: async ({ body, services }) => {
      await services.tracking.logging.logParam(body.run_id, body.key, body.value)
      return {}
    },
  }),
  defineRoute({
    method: 'POST',
    path: '/runs/set-tag',
    body: MlflowKeyValueRunRequest,
    response: MlflowEmptyResponse,
    permission: 'editor',
    handler: async ({ body, services }) => {
      await services.tracking.logging.setTag(body.run_id, body.key, body.value)
      return {}
    },
  }),
  defineRoute({
    method: 'POST',
    path: '/runs/delete-tag',
    body: MlflowDeleteTagRequest,
    response: MlflowEmptyResponse,
    permission: 'editor',
    handler: async ({ body, services }) => {
      await services.tracking.logging.deleteTag(body.run_id, body.key)
      return {}
    },
  }),
  defineRoute({
    method: 'POST',
    path: '/runs/log-batch',
    body: MlflowLogBatchRequest,
    // Up to 1000 points a request from every training job; zod's per-field work is a large share.
    fastBody: parseWellFormedLogBatch,
    response: MlflowEmptyResponse,
    permission: 'editor',
    handler: async ({ body, services }) => {
      await services.tracking.logging.logBatch(body.run_id, body)
      return {}
    },
  }),
  defineRoute({
    method: 'POST',
    path: '/runs/log-inputs',
    body: MlflowLogInputsRequest,
    response: MlflowEmptyResponse,
    permission: 'editor',
    handler: async ({ body, services }) => {
      await services.tracking.inputs.logInputs(body.run_id, body.datasets)
      return {}
    },
  }),
]
