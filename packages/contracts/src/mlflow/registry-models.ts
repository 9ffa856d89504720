import { z } from 'zod'
import { MlflowModelVersion, MlflowRegisteredModel } from './registry-entities.js'
import { int64, keyValue, message, requiredString, stringList } from './wire.js'

/** Requests and responses of MLflow's `/mlflow/registered-models/*` endpoints. */

/** A model version number: clients send a string, some a number. */
export const modelVersionField = z.preprocess(
  (v) => (typeof v === 'number' && Number.isInteger(v) ? String(v) : v === '' ? undefined : v),
  z.string(),
)

export const MlflowCreateRegisteredModelRequest = message({
  name: requiredString,
  tags: z.array(keyValue).default([]),
  description: z.string().optional(),
})
export type MlflowCreateRegisteredModelRequest = z.output<typeof MlflowCreateRegisteredModelRequest>

export const MlflowRegisteredModelResponse = z.object({ registered_model: MlflowRegisteredModel })
export type MlflowRegisteredModelResponse = z.output<typeof MlflowRegisteredModelResponse>

export const MlflowRegisteredModelNameRequest = message({ name: requiredString })

export const MlflowRenameRegisteredModelRequest = message({
  name: requiredString,
  new_name: requiredString,
})

export const MlflowUpdateRegisteredModelRequest = message({
  name: requiredString,
  description: z.string().optional(),
})

/** POST body and GET query alike. */
export const MlflowSearchRegisteredModelsRequest = message({
  filter: z.string().optional(),
  max_results: int64.optional(),
  order_by: stringList.optional(),
  page_token: z.string().optional(),
})
export type MlflowSearchRegisteredModelsRequest = z.output<
  typeof MlflowSearchRegisteredModelsRequest
>
export const MlflowSearchRegisteredModelsResponse = z.object({
  registered_models: z.array(MlflowRegisteredModel).optional(),
  next_page_token: z.string().optional(),
})
export type MlflowSearchRegisteredModelsResponse = z.output<
  typeof MlflowSearchRegisteredModelsResponse
>

export const MlflowGetLatestVersionsRequest = message({
  name: requiredString,
  stages: stringList.optional(),
})
export type MlflowGetLatestVersionsRequest = z.output<typeof MlflowGetLatestVersionsRequest>
export const MlflowModelVersionsResponse = z.object({
  model_versions: z.array(MlflowModelVersion).optional(),
})

export const MlflowSetRegisteredModelTagRequest = message({
  name: requiredString,
  key: requiredString,
  value: z.string().default(''),
})

export const MlflowDeleteRegisteredModelTagRequest = message({
  name: requiredString,
  key: requiredString,
})

export const MlflowSetRegisteredModelAliasRequest = message({
  name: requiredString,
  alias: requiredString,
  version: modelVersionField,
  /**
   * Ballast extension, ignored by MLflow: compare-and-set. When given, the alias is moved only if
   * it currently points at this version; otherwise the request fails with 409 CONFLICT, so two
   * automations promoting at once cannot both win.
   */
  expected_version: modelVersionField.optional(),
})

export const MlflowRegisteredModelAliasRequest = message({
  name: requiredString,
  alias: requiredString,
})
