import { z } from 'zod'
import { MlflowMetric, MlflowMetricWithRunId } from './entities.js'
import { int64, message, requiredString, runMessage, stringList } from './wire.js'

/** Requests and responses of MLflow's `/mlflow/metrics/*` endpoints. */

export const MlflowGetMetricHistoryRequest = runMessage({
  metric_key: requiredString,
  page_token: z.string().optional(),
  max_results: int64.optional(),
})
export type MlflowGetMetricHistoryRequest = z.output<typeof MlflowGetMetricHistoryRequest>
export const MlflowGetMetricHistoryResponse = z.object({
  metrics: z.array(MlflowMetric).optional(),
  next_page_token: z.string().optional(),
})
export type MlflowGetMetricHistoryResponse = z.output<typeof MlflowGetMetricHistoryResponse>

export const MlflowGetMetricHistoryBulkIntervalRequest = message({
  run_ids: stringList,
  metric_key: requiredString,
  start_step: int64.optional(),
  end_step: int64.optional(),
  max_results: int64.optional(),
})
export type MlflowGetMetricHistoryBulkIntervalRequest = z.output<
  typeof MlflowGetMetricHistoryBulkIntervalRequest
>
export const MlflowGetMetricHistoryBulkIntervalResponse = z.object({
  metrics: z.array(MlflowMetricWithRunId).optional(),
})
