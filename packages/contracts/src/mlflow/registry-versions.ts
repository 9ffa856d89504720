import { z } from 'zod'
import { MlflowModelVersion } from './registry-entities.js'
import { modelVersionField } from './registry-models.js'
import { int64, keyValue, message, requiredString, stringList } from './wire.js'

/** Requests and responses of MLflow's `/mlflow/model-versions/*` endpoints. */

export const MlflowCreateModelVersionRequest = message({
  name: requiredString,
  /** `runs:/<run_id>/<path>` or `mlflow-artifacts:/<experiment_id>/<run_id>/artifacts/<path>`. */
  source: requiredString,
  run_id: z.string().optional(),
  tags: z.array(keyValue).default([]),
  run_link: z.string().optional(),
  description: z.string().optional(),
})
export type MlflowCreateModelVersionRequest = z.output<typeof MlflowCreateModelVersionRequest>

export const MlflowModelVersionResponse = z.object({ model_version: MlflowModelVersion })
export type MlflowModelVersionResponse = z.output<typeof MlflowModelVersionResponse>

export const MlflowModelVersionRequest = message({
  name: requiredString,
  version: modelVersionField,
})

export const MlflowUpdateModelVersionRequest = message({
  name: requiredString,
  version: modelVersionField,
  description: z.string().optional(),
})

/** POST body and GET query alike. */
export const MlflowSearchModelVersionsRequest = message({
  filter: z.string().optional(),
  max_results: int64.optional(),
  order_by: stringList.optional(),
  page_token: z.string().optional(),
})
export type MlflowSearchModelVersionsRequest = z.output<typeof MlflowSearchModelVersionsRequest>
export const MlflowSearchModelVersionsResponse = z.object({
  model_versions: z.array(MlflowModelVersion).optional(),
  next_page_token: z.string().optional(),
})
export type MlflowSearchModelVersionsResponse = z.output<typeof MlflowSearchModelVersionsResponse>

export const MlflowSetModelVersionTagRequest = message({
  name: requiredString,
  version: modelVersionField,
  key: requiredString,
  value: z.string().default(''),
})

export const MlflowDeleteModelVersionTagRequest = message({
  name: requiredString,
  version: modelVersionField,
  key: requiredString,
})

export const MlflowTransitionModelVersionStageRequest = message({
  name: requiredString,
  version: modelVersionField,
  stage: requiredString,
  archive_existing_versions: z
    .preprocess((v) => (v === 'true' ? true : v === 'false' ? false : v), z.boolean())
    .default(false),
})

export const MlflowModelVersionDownloadUriResponse = z.object({ artifact_uri: z.string() })
