import { z } from 'zod'

/**
 * MLflow's entities as its server writes them: snake_case fields, int64 as JSON numbers, absent
 * optional fields and empty lists omitted (protobuf's JSON mapping), NaN as the string "NaN".
 */

/** A double in a response: JSON has no NaN, so protobuf's mapping writes it as a string. */
export const MlflowDouble = z.union([
  z.number(),
  z.literal('NaN'),
  z.literal('Infinity'),
  z.literal('-Infinity'),
])
export type MlflowDouble = z.output<typeof MlflowDouble>

export const MlflowLifecycleStage = z.enum(['active', 'deleted'])
export type MlflowLifecycleStage = z.output<typeof MlflowLifecycleStage>

export const MLFLOW_RUN_STATUSES = ['RUNNING', 'SCHEDULED', 'FINISHED', 'FAILED', 'KILLED'] as const
export const MlflowRunStatus = z.enum(MLFLOW_RUN_STATUSES)
export type MlflowRunStatus = z.output<typeof MlflowRunStatus>

export const MLFLOW_VIEW_TYPES = ['ACTIVE_ONLY', 'DELETED_ONLY', 'ALL'] as const
export type MlflowViewType = (typeof MLFLOW_VIEW_TYPES)[number]

export const MlflowKeyValue = z.object({ key: z.string(), value: z.string() })
export type MlflowKeyValue = z.output<typeof MlflowKeyValue>

export const MlflowExperiment = z.object({
  experiment_id: z.string(),
  name: z.string(),
  artifact_location: z.string(),
  lifecycle_stage: MlflowLifecycleStage,
  last_update_time: z.number().optional(),
  creation_time: z.number().optional(),
  tags: z.array(MlflowKeyValue).optional(),
})
export type MlflowExperiment = z.output<typeof MlflowExperiment>

export const MlflowMetric = z.object({
  key: z.string(),
  value: MlflowDouble,
  timestamp: z.number(),
  step: z.number(),
})
export type MlflowMetric = z.output<typeof MlflowMetric>

export const MlflowMetricWithRunId = MlflowMetric.extend({ run_id: z.string() })
export type MlflowMetricWithRunId = z.output<typeof MlflowMetricWithRunId>

export const MlflowRunInfo = z.object({
  run_id: z.string(),
  /** Deprecated by MLflow, still written for old clients. */
  run_uuid: z.string(),
  run_name: z.string(),
  experiment_id: z.string(),
  user_id: z.string(),
  status: MlflowRunStatus,
  start_time: z.number(),
  end_time: z.number().optional(),
  artifact_uri: z.string(),
  lifecycle_stage: MlflowLifecycleStage,
})
export type MlflowRunInfo = z.output<typeof MlflowRunInfo>

export const MlflowRunData = z.object({
  metrics: z.array(MlflowMetric).optional(),
  params: z.array(MlflowKeyValue).optional(),
  tags: z.array(MlflowKeyValue).optional(),
})
export type MlflowRunData = z.output<typeof MlflowRunData>

export const MlflowDataset = z.object({
  name: z.string(),
  digest: z.string(),
  source_type: z.string(),
  source: z.string(),
  schema: z.string().optional(),
  profile: z.string().optional(),
})
export type MlflowDataset = z.output<typeof MlflowDataset>

export const MlflowDatasetInput = z.object({
  tags: z.array(MlflowKeyValue).optional(),
  dataset: MlflowDataset,
})
export type MlflowDatasetInput = z.output<typeof MlflowDatasetInput>

export const MlflowRunInputs = z.object({ dataset_inputs: z.array(MlflowDatasetInput).optional() })
export type MlflowRunInputs = z.output<typeof MlflowRunInputs>

export const MlflowRun = z.object({
  info: MlflowRunInfo,
  data: MlflowRunData,
  inputs: MlflowRunInputs,
})
export type MlflowRun = z.output<typeof MlflowRun>

/** One entry of an artifact listing; directories carry no size. */
export const MlflowFileInfo = z.object({
  path: z.string(),
  is_dir: z.boolean(),
  file_size: z.number().optional(),
})
export type MlflowFileInfo = z.output<typeof MlflowFileInfo>
