import { z } from 'zod'
import { DatasetRunWire, DatasetVersionSummaryWire, DatasetWire } from './datasets/dataset-wire.js'

/**
 * The native model API (`/api/v1/models`) and the model package a run logs under `model/`.
 * Signatures follow MLflow's: column-based (`double`, `string`, …) or tensor-based (`tensor` with
 * a `tensorSpec`).
 */

export const SIGNATURE_TYPES = [
  'double',
  'float',
  'long',
  'integer',
  'boolean',
  'string',
  'datetime',
  'binary',
  'tensor',
] as const
export type SignatureType = (typeof SIGNATURE_TYPES)[number]

export const SignatureField = z.object({
  name: z.string(),
  type: z.enum(SIGNATURE_TYPES),
  required: z.boolean().optional(),
  /** Present for `tensor` fields: numpy dtype and shape, -1 for a dimension of any size. */
  tensorSpec: z.object({ dtype: z.string(), shape: z.array(z.number().int()) }).optional(),
})
export type SignatureField = z.output<typeof SignatureField>

export const ModelSignature = z.object({
  inputs: z.array(SignatureField),
  outputs: z.array(SignatureField),
})
export type ModelSignature = z.output<typeof ModelSignature>

/** A dataset a version was trained or evaluated on, from its run's inputs. */
export const ModelDatasetWire = z.object({
  name: z.string(),
  /** The Ballast dataset version, when the input names one (`ballast:<name>@<version>`). */
  version: z.number().int().positive().nullable(),
  digest: z.string(),
  source: z.string(),
  context: z.string().nullable(),
})
export type ModelDatasetWire = z.output<typeof ModelDatasetWire>

export const ModelLineageWire = z.object({
  run_id: z.string(),
  experiment_id: z.string(),
  run_name: z.string(),
  artifact_path: z.string(),
  datasets: z.array(ModelDatasetWire),
  params: z.record(z.string(), z.string()),
  metrics: z.record(z.string(), z.union([z.number(), z.string()])),
  git_commit: z.string().nullable(),
  registered_at: z.number(),
})
export type ModelLineageWire = z.output<typeof ModelLineageWire>

/** What the registry read from the version's model package; all null without a package. */
export const ModelDetailsWire = z.object({
  flavor: z.string().nullable(),
  signature: ModelSignature.nullable(),
  input_example: z.record(z.string(), z.unknown()).array().nullable(),
  onnx_path: z.string().nullable(),
  onnx_sha256: z.string().nullable(),
  onnx_size: z.number().int().nonnegative().nullable(),
  task: z.string().nullable(),
  classes: z.array(z.union([z.string(), z.number()])).nullable(),
  target: z.string().nullable(),
  algo: z.string().nullable(),
})
export type ModelDetailsWire = z.output<typeof ModelDetailsWire>

export const ModelVersionWire = z.object({
  name: z.string(),
  version: z.number().int().positive(),
  aliases: z.array(z.string()),
  stage: z.string(),
  description: z.string(),
  source: z.string(),
  run_id: z.string(),
  created_by: z.string(),
  created_at: z.number(),
  updated_at: z.number(),
  tags: z.record(z.string(), z.string()),
})
export type ModelVersionWire = z.output<typeof ModelVersionWire>

export const GetModelVersionResponse = z.object({
  version: ModelVersionWire,
  details: ModelDetailsWire,
  lineage: ModelLineageWire,
})
export type GetModelVersionResponse = z.output<typeof GetModelVersionResponse>

export const GetModelLineageResponse = z.object({ lineage: ModelLineageWire })
export type GetModelLineageResponse = z.output<typeof GetModelLineageResponse>

export const ImportModelQuery = z.object({
  experiment: z.string().min(1).optional(),
  description: z.string().optional(),
})
export type ImportModelQuery = z.output<typeof ImportModelQuery>

export const ModelCardQuery = z.object({
  format: z.enum(['json', 'markdown']).default('json'),
})
export type ModelCardQuery = z.output<typeof ModelCardQuery>

const CardDataset = z.object({
  name: z.string(),
  version: z.number().nullable(),
  digest: z.string(),
  rows: z.number().nullable(),
})

/** A model card after Mitchell et al., "Model Cards for Model Reporting" (2019). */
export const ModelCard = z.object({
  model_details: z.object({
    name: z.string(),
    version: z.number(),
    aliases: z.array(z.string()),
    task: z.string().nullable(),
    algo: z.string().nullable(),
    created_at: z.number(),
    created_by: z.string(),
    run_id: z.string(),
    git_commit: z.string().nullable(),
    description: z.string(),
  }),
  intended_use: z.object({ text: z.string(), provided: z.boolean() }),
  factors: z.object({ inputs: z.array(SignatureField), outputs: z.array(SignatureField) }),
  metrics: z.record(z.string(), z.union([z.number(), z.string()])),
  training_data: z.array(CardDataset),
  evaluation_data: z.array(CardDataset),
  /** How the test rows were chosen when they were held out of the training data; null unknown. */
  evaluation_method: z.string().nullable(),
  ethical_considerations: z.array(z.string()),
  caveats: z.array(z.string()),
})
export type ModelCard = z.output<typeof ModelCard>

/** A model version trained on a dataset version (`GET /api/v1/datasets/:name` lists them). */
export const DatasetModelWire = z.object({
  name: z.string(),
  version: z.number().int().positive(),
})
export type DatasetModelWire = z.output<typeof DatasetModelWire>

/** `GET /api/v1/datasets/:name`: each version with its runs and the model versions made from it. */
export const GetDatasetWithModelsResponse = z.object({
  dataset: DatasetWire,
  versions: z.array(
    DatasetVersionSummaryWire.extend({
      runs: z.array(DatasetRunWire),
      models: z.array(DatasetModelWire),
    }),
  ),
})
export type GetDatasetWithModelsResponse = z.output<typeof GetDatasetWithModelsResponse>
