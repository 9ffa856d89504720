import { z } from 'zod'
import { MLFLOW_RUN_STATUSES, MLFLOW_VIEW_TYPES, MlflowRun, MlflowRunInfo } from './entities.js'
import {
  double,
  experimentId,
  experimentIdList,
  int64,
  keyValue,
  message,
  protoEnum,
  requiredString,
  runMessage,
  stringList,
} from './wire.js'

/** Requests and responses of MLflow's `/mlflow/runs/*` endpoints. */

export const MlflowRunStatusField = protoEnum(MLFLOW_RUN_STATUSES, {
  1: 'RUNNING',
  2: 'SCHEDULED',
  3: 'FINISHED',
  4: 'FAILED',
  5: 'KILLED',
})

export const MlflowCreateRunRequest = message({
  experiment_id: experimentId.optional(),
  user_id: z.string().optional(),
  run_name: z.string().optional(),
  start_time: int64.optional(),
  tags: z.array(keyValue).default([]),
})
export type MlflowCreateRunRequest = z.output<typeof MlflowCreateRunRequest>

export const MlflowRunResponse = z.object({ run: MlflowRun })
export type MlflowRunResponse = z.output<typeof MlflowRunResponse>

/** runs/get, runs/delete, runs/restore: the run alone. */
export const MlflowRunIdRequest = runMessage({})

export const MlflowUpdateRunRequest = runMessage({
  status: MlflowRunStatusField.optional(),
  end_time: int64.optional(),
  run_name: z.string().optional(),
})
export type MlflowUpdateRunRequest = z.output<typeof MlflowUpdateRunRequest>
export const MlflowUpdateRunResponse = z.object({ run_info: MlflowRunInfo })

/** One metric point as clients send it; `step` defaults to 0. */
export const MlflowMetricInput = message({
  key: requiredString,
  value: double,
  timestamp: int64,
  step: int64.optional(),
})
export type MlflowMetricInput = z.output<typeof MlflowMetricInput>

export const MlflowLogMetricRequest = runMessage({
  key: requiredString,
  value: double,
  timestamp: int64,
  step: int64.optional(),
})
export type MlflowLogMetricRequest = z.output<typeof MlflowLogMetricRequest>

/** runs/log-parameter and runs/set-tag. */
export const MlflowKeyValueRunRequest = runMessage({
  key: requiredString,
  value: z.string().default(''),
})

export const MlflowDeleteTagRequest = runMessage({ key: requiredString })

export const MlflowLogBatchRequest = runMessage({
  metrics: z.array(MlflowMetricInput).default([]),
  params: z.array(keyValue).default([]),
  tags: z.array(keyValue).default([]),
})
export type MlflowLogBatchRequest = z.output<typeof MlflowLogBatchRequest>

export const MlflowDatasetInputRequest = message({
  tags: z.array(message({ key: requiredString, value: z.string() })).default([]),
  dataset: message({
    name: requiredString,
    digest: requiredString,
    source_type: requiredString,
    source: requiredString,
    schema: z.string().optional(),
    profile: z.string().optional(),
  }),
})
export type MlflowDatasetInputRequest = z.output<typeof MlflowDatasetInputRequest>

export const MlflowLogInputsRequest = runMessage({
  datasets: z.array(MlflowDatasetInputRequest).default([]),
})

export const MlflowSearchRunsRequest = message({
  experiment_ids: experimentIdList.default([]),
  filter: z.string().optional(),
  run_view_type: protoEnum(MLFLOW_VIEW_TYPES, {
    1: 'ACTIVE_ONLY',
    2: 'DELETED_ONLY',
    3: 'ALL',
  }).optional(),
  max_results: int64.optional(),
  order_by: stringList.optional(),
  page_token: z.string().optional(),
})
export type MlflowSearchRunsRequest = z.output<typeof MlflowSearchRunsRequest>
export const MlflowSearchRunsResponse = z.object({
  runs: z.array(MlflowRun).optional(),
  next_page_token: z.string().optional(),
})
export type MlflowSearchRunsResponse = z.output<typeof MlflowSearchRunsResponse>
