import { z } from 'zod'

/**
 * The pipelines API (`/api/v1/pipelines`, `/api/v1/pipeline-runs`): pipelines declared in YAML
 * (or as a JSON spec), their runs and steps. Times are epoch milliseconds.
 */

export const PIPELINES_API = '/api/v1/pipelines'
export const PIPELINE_RUNS_API = '/api/v1/pipeline-runs'

export const PIPELINE_RUN_STATUSES_WIRE = [
  'queued',
  'running',
  'succeeded',
  'failed',
  'cancelled',
] as const
export const STEP_STATUSES_WIRE = [
  'pending',
  'running',
  'succeeded',
  'failed',
  'skipped',
  'cached',
] as const

/** `POST /api/v1/pipelines` as JSON: the YAML text, or the spec itself. */
export const ApplyPipelineRequest = z.union([
  z.strictObject({
    yaml: z.string().min(1).max(1_000_000),
    source: z.string().max(200).optional(),
  }),
  z.strictObject({ spec: z.record(z.string(), z.unknown()) }),
])
export type ApplyPipelineRequest = z.output<typeof ApplyPipelineRequest>

export const PipelineWire = z.object({
  name: z.string(),
  /** PipelineSpec: name, description, params, triggers, limits, steps. */
  spec: z.record(z.string(), z.unknown()),
  /** SHA-256 of the canonical spec: the pipeline's version. */
  digest: z.string(),
  createdBy: z.string(),
  createdAt: z.number().int(),
  updatedAt: z.number().int(),
})
export type PipelineWire = z.output<typeof PipelineWire>

const OutputValue = z.union([z.string(), z.number(), z.boolean(), z.null()])

export const StepRunWire = z.object({
  runId: z.string(),
  step: z.string(),
  kind: z.string(),
  status: z.enum(STEP_STATUSES_WIRE),
  attempts: z.number().int().nonnegative(),
  jobId: z.string().nullable(),
  cacheKey: z.string().nullable(),
  outputs: z.record(z.string(), OutputValue).nullable(),
  /** The tracking run recording the step (for a cached step, the run that produced it). */
  trackingRunId: z.string().nullable(),
  error: z.string().nullable(),
  startedAt: z.number().int().nullable(),
  finishedAt: z.number().int().nullable(),
})
export type StepRunWire = z.output<typeof StepRunWire>

export const PipelineRunWire = z.object({
  id: z.string(),
  pipeline: z.string(),
  status: z.enum(PIPELINE_RUN_STATUSES_WIRE),
  trigger: z.object({
    kind: z.enum(['manual', 'schedule', 'dataset', 'event']),
    detail: z.string(),
    values: z.record(z.string(), z.union([z.string(), z.number()])),
  }),
  params: z.record(z.string(), z.union([z.string(), z.number(), z.boolean()])),
  createdBy: z.string(),
  createdAt: z.number().int(),
  startedAt: z.number().int().nullable(),
  finishedAt: z.number().int().nullable(),
  error: z.string().nullable(),
  steps: z.array(StepRunWire),
})
export type PipelineRunWire = z.output<typeof PipelineRunWire>

export const PipelineResponse = z.object({ pipeline: PipelineWire })
export type PipelineResponse = z.output<typeof PipelineResponse>
export const ListPipelinesResponse = z.object({ pipelines: z.array(PipelineWire) })
export type ListPipelinesResponse = z.output<typeof ListPipelinesResponse>

/** `POST /api/v1/pipelines/:name/runs`: param overrides. */
export const StartPipelineRunRequest = z.strictObject({
  params: z.record(z.string(), z.union([z.string(), z.number(), z.boolean()])).default({}),
})
export type StartPipelineRunRequest = z.output<typeof StartPipelineRunRequest>

export const PipelineRunResponse = z.object({ run: PipelineRunWire })
export type PipelineRunResponse = z.output<typeof PipelineRunResponse>
export const ListPipelineRunsResponse = z.object({ runs: z.array(PipelineRunWire) })
export type ListPipelineRunsResponse = z.output<typeof ListPipelineRunsResponse>

export const ListPipelineRunsQuery = z.object({
  since: z.coerce.number().int().nonnegative().optional(),
  limit: z.coerce.number().int().min(1).max(1000).default(20),
})
export type ListPipelineRunsQuery = z.output<typeof ListPipelineRunsQuery>
