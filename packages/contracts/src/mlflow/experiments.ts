import { z } from 'zod'
import { MLFLOW_VIEW_TYPES, MlflowExperiment } from './entities.js'
import {
  experimentId,
  int64,
  keyValue,
  message,
  protoEnum,
  requiredString,
  stringList,
} from './wire.js'

/** Requests and responses of MLflow's `/mlflow/experiments/*` endpoints. */

/** Empty success answer of MLflow's write endpoints. */
export const MlflowEmptyResponse = z.object({}).strict()
export type MlflowEmptyResponse = z.output<typeof MlflowEmptyResponse>

export const MlflowViewTypeField = protoEnum(MLFLOW_VIEW_TYPES, {
  1: 'ACTIVE_ONLY',
  2: 'DELETED_ONLY',
  3: 'ALL',
})

export const MlflowCreateExperimentRequest = message({
  name: requiredString,
  artifact_location: z.string().optional(),
  tags: z.array(keyValue).default([]),
})
export type MlflowCreateExperimentRequest = z.output<typeof MlflowCreateExperimentRequest>
export const MlflowCreateExperimentResponse = z.object({ experiment_id: z.string() })

export const MlflowGetExperimentRequest = message({ experiment_id: experimentId })
export const MlflowExperimentResponse = z.object({ experiment: MlflowExperiment })
export type MlflowExperimentResponse = z.output<typeof MlflowExperimentResponse>

export const MlflowGetExperimentByNameRequest = message({ experiment_name: requiredString })

/** POST body and GET query alike. */
export const MlflowSearchExperimentsRequest = message({
  max_results: int64.optional(),
  page_token: z.string().optional(),
  filter: z.string().optional(),
  order_by: stringList.optional(),
  view_type: MlflowViewTypeField.optional(),
})
export type MlflowSearchExperimentsRequest = z.output<typeof MlflowSearchExperimentsRequest>
export const MlflowSearchExperimentsResponse = z.object({
  experiments: z.array(MlflowExperiment).optional(),
  next_page_token: z.string().optional(),
})
export type MlflowSearchExperimentsResponse = z.output<typeof MlflowSearchExperimentsResponse>

export const MlflowUpdateExperimentRequest = message({
  experiment_id: experimentId,
  new_name: requiredString,
})

export const MlflowExperimentIdRequest = message({ experiment_id: experimentId })

export const MlflowSetExperimentTagRequest = message({
  experiment_id: experimentId,
  key: requiredString,
  value: z.string().default(''),
})

export const MlflowDeleteExperimentTagRequest = message({
  experiment_id: experimentId,
  key: requiredString,
})
