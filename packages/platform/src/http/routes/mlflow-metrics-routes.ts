import {
  MlflowGetMetricHistoryBulkIntervalRequest,
  MlflowGetMetricHistoryBulkIntervalResponse,
  MlflowGetMetricHistoryRequest,
  MlflowGetMetricHistoryResponse,
} from '@ballast/contracts'
import { type AnyRoute, defineRoute } from '../route.js'

/** MLflow's metric history endpoints, relative to `/api/2.0/mlflow` (see mlflow-api-routes.ts). */
export const MLFLOW_METRIC_ROUTES: readonly AnyRoute[] = [
  defineRoute({
    method: 'GET',
    path: '/metrics/get-history',
    query: MlflowGetMetricHistoryRequest,
    response: MlflowGetMetricHistoryResponse,
    permission: 'viewer',
    handler: ({ query, services }) =>
      services.tracking.metrics.history(query.run_id, query.metric_key, {
        maxResults: query.max_results,
        pageToken: query.page_token,
      }),
  }),
  defineRoute({
    method: 'GET',
    path: '/metrics/get-history-bulk-interval',
    query: MlflowGetMetricHistoryBulkIntervalRequest,
    response: MlflowGetMetricHistoryBulkIntervalResponse,
    permission: 'viewer',
    handler: async ({ query, services }) => {
      const metrics = await services.tracking.metrics.bulkInterval({
        runIds: query.run_ids,
        metricKey: query.metric_key,
        startStep: query.start_step,
        endStep: query.end_step,
        maxResults: query.max_results,
      })
      return metrics.length > 0 ? { metrics } : {}
    },
  }),
]
