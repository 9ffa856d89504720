import { z } from 'zod'
import { MlflowKeyValue } from './entities.js'

/**
 * The model registry's entities as MLflow's server writes them: versions are strings, timestamps
 * are milliseconds, empty lists and unset fields are omitted.
 */

export const MODEL_VERSION_STAGES = ['None', 'Staging', 'Production', 'Archived'] as const
export type ModelVersionStage = (typeof MODEL_VERSION_STAGES)[number]

export const MlflowRegisteredModelAlias = z.object({ alias: z.string(), version: z.string() })
export type MlflowRegisteredModelAlias = z.output<typeof MlflowRegisteredModelAlias>

export const MlflowModelVersion = z.object({
  name: z.string(),
  version: z.string(),
  creation_timestamp: z.number(),
  last_updated_timestamp: z.number(),
  user_id: z.string().optional(),
  current_stage: z.enum(MODEL_VERSION_STAGES),
  description: z.string().optional(),
  source: z.string(),
  run_id: z.string(),
  status: z.literal('READY'),
  run_link: z.string().optional(),
  tags: z.array(MlflowKeyValue).optional(),
  aliases: z.array(z.string()).optional(),
})
export type MlflowModelVersion = z.output<typeof MlflowModelVersion>

export const MlflowRegisteredModel = z.object({
  name: z.string(),
  creation_timestamp: z.number(),
  last_updated_timestamp: z.number(),
  user_id: z.string().optional(),
  description: z.string().optional(),
  /** The newest version in each stage. */
  latest_versions: z.array(MlflowModelVersion).optional(),
  tags: z.array(MlflowKeyValue).optional(),
  aliases: z.array(MlflowRegisteredModelAlias).optional(),
})
export type MlflowRegisteredModel = z.output<typeof MlflowRegisteredModel>
