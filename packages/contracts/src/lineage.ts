import { z } from 'zod'
import { ModelDatasetWire } from './models.js'

/** A pipeline run that made something, with what started it and what it decided and rolled out. */
export const LineagePipelineRunWire = z.object({
  id: z.string(),
  pipeline: z.string(),
  status: z.string(),
  /** The step whose tracking run it is, when known. */
  step: z.string().nullable(),
  trigger: z.object({
    kind: z.string(),
    /** e.g. `drift_detected #12 (monitor loans)` */
    detail: z.string(),
    values: z.record(z.string(), z.union([z.string(), z.number()])),
  }),
  created_at: z.number(),
  decision: z
    .object({ id: z.number().int(), status: z.string(), passed: z.boolean().nullable() })
    .nullable(),
  rollout: z
    .object({ id: z.string(), deployment: z.string(), status: z.string(), version: z.number() })
    .nullable(),
})
export type LineagePipelineRunWire = z.output<typeof LineagePipelineRunWire>

export const ModelLineageTreeWire = z.object({
  model: z.string(),
  version: z.number().int().positive(),
  aliases: z.array(z.string()),
  run_id: z.string(),
  datasets: z.array(ModelDatasetWire),
  params: z.record(z.string(), z.string()),
  metrics: z.record(z.string(), z.union([z.number(), z.string()])),
  registered_at: z.number(),
  pipeline_run: LineagePipelineRunWire.nullable(),
  /** Deployments serving the version now, and how (primary, canary or shadow). */
  deployments: z.array(
    z.object({ name: z.string(), role: z.enum(['primary', 'canary', 'shadow']) }),
  ),
})
export type ModelLineageTreeWire = z.output<typeof ModelLineageTreeWire>

export const PredictionLineageWire = z.object({
  request_id: z.string(),
  deployment: z.string(),
  time: z.number(),
  shadow: z.boolean(),
  label: z.string().nullable(),
  model: ModelLineageTreeWire,
})
export type PredictionLineageWire = z.output<typeof PredictionLineageWire>

export const DatasetLineageWire = z.object({
  name: z.string(),
  version: z.number().int().positive(),
  digest: z.string(),
  rows: z.number(),
  created_at: z.number(),
  created_by: z.string(),
  /** Every version of the dataset, ascending. */
  versions: z.array(z.number().int().positive()),
  /** Model versions whose run read this dataset version. */
  models: z.array(
    z.object({ model: z.string(), version: z.number().int().positive(), run_id: z.string() }),
  ),
  /** Pipeline runs whose steps' outputs name this dataset version (e.g. an ingest step). */
  pipeline_runs: z.array(LineagePipelineRunWire),
})
export type DatasetLineageWire = z.output<typeof DatasetLineageWire>

export const PredictionLineageQuery = z.object({ deployment: z.string().optional() })
