/**
 * The shapes pipelines share: the declared pipeline (as read from YAML or built in TypeScript),
 * its runs and steps, and what triggers them. Each part (spec parsing, the engine, step kinds,
 * triggers, policies) implements its side.
 */

/** Step kinds a pipeline may use. */
export const STEP_KINDS = [
  'ingest',
  'validate',
  'train',
  'evaluate',
  'register',
  'deploy',
  'command',
] as const
export type StepKindName = (typeof STEP_KINDS)[number]

/**
 * A value of a step's `with`: literal JSON, where any string may hold references
 * `${{ params.NAME }}`, `${{ steps.STEP.outputs.KEY }}` or `${{ trigger.KEY }}`. A string that is
 * exactly one reference takes the referenced value's type; otherwise references are substituted
 * as text.
 */
export type StepInputs = Record<string, unknown>

export interface StepSpec {
  name: string
  kind: StepKindName
  with: StepInputs
  /** Steps this one waits for besides those its references name. */
  needs?: string[]
  /** A reference or literal; the step is skipped (and its dependents too) when it is false. */
  if?: string | boolean
  /** Attempts before the step fails (default 3); waits 2 s × 2^(attempt−1) between them. */
  retries?: number
  /** Reuse the outputs of an earlier run whose inputs digest the same (default true). */
  cache?: boolean
}

/** What starts a pipeline run besides a person. */
export type TriggerSpec =
  /** Five-field cron (minute hour day-of-month month day-of-week), UTC. */
  | { kind: 'schedule'; cron: string }
  /** A new version of the dataset. */
  | { kind: 'dataset'; dataset: string }
  /** Monitor events of these types, optionally from one monitor or deployment. */
  | {
      kind: 'event'
      events: ('drift_detected' | 'performance_degraded' | 'data_quality_failed')[]
      monitor?: string
      deployment?: string
    }

export interface PipelineLimits {
  /** Triggers firing within this long after a run started are merged into it (ms; default 10 min). */
  debounceMs: number
  /** At most this many triggered runs per UTC day (default 3); manual runs are not counted. */
  maxRunsPerDay: number
}

export interface PipelineSpec {
  name: string
  description?: string
  /** Defaults for `${{ params.NAME }}`; a run may override them. */
  params: Record<string, string | number | boolean>
  triggers: TriggerSpec[]
  limits: PipelineLimits
  steps: StepSpec[]
}

export const PIPELINE_RUN_STATUSES = [
  'queued',
  'running',
  'succeeded',
  'failed',
  'cancelled',
] as const
export type PipelineRunStatus = (typeof PIPELINE_RUN_STATUSES)[number]

export const STEP_STATUSES = [
  'pending',
  'running',
  'succeeded',
  'failed',
  'skipped',
  'cached',
] as const
export type StepStatus = (typeof STEP_STATUSES)[number]

/** Why a run started: a person, or one of the pipeline's triggers (with what fired it). */
export interface RunTrigger {
  kind: 'manual' | 'schedule' | 'dataset' | 'event'
  /** `alice`, a cron expression, `flights@4`, `drift_detected #12 (monitor flights)`. */
  detail: string
  /** Values `${{ trigger.KEY }}` reads: e.g. event_id, monitor, deployment, dataset, version. */
  values: Record<string, string | number>
}

/** Values a step hands to later steps (`${{ steps.NAME.outputs.KEY }}`). */
export type StepOutputs = Record<string, string | number | boolean | null>

export interface StepRun {
  runId: string
  step: string
  kind: StepKindName
  status: StepStatus
  attempts: number
  jobId: string | null
  /** Digest of the step's kind, resolved inputs and the outputs of the steps it reads. */
  cacheKey: string | null
  outputs: StepOutputs | null
  /** The tracking run that records the step. */
  trackingRunId: string | null
  error: string | null
  startedAt: number | null
  finishedAt: number | null
}

export interface PipelineRun {
  id: string
  pipeline: string
  status: PipelineRunStatus
  trigger: RunTrigger
  params: Record<string, string | number | boolean>
  createdBy: string
  createdAt: number
  startedAt: number | null
  finishedAt: number | null
  error: string | null
  steps: StepRun[]
}

/** A registered pipeline: its spec as last applied. */
export interface PipelineRecord {
  name: string
  spec: PipelineSpec
  /** SHA-256 of the canonical spec. */
  digest: string
  createdBy: string
  createdAt: number
  updatedAt: number
}

/** Registers pipelines and runs them; steps run as jobs. Changes name the actor. */
export interface PipelineService {
  /** Registers the spec (or replaces the pipeline of the same name). */
  apply(spec: PipelineSpec, actor: string): Promise<PipelineRecord>
  list(): Promise<PipelineRecord[]>
  get(name: string): Promise<PipelineRecord>
  /** Starts a run: its first steps are enqueued at once. */
  start(
    name: string,
    options: {
      trigger: RunTrigger
      params?: Record<string, string | number | boolean>
      actor: string
    },
  ): Promise<PipelineRun>
  /** Newest first; `since` (epoch ms) keeps runs created at or after it. */
  runs(name: string, options?: { since?: number; limit?: number }): Promise<PipelineRun[]>
  run(id: string): Promise<PipelineRun>
  cancel(id: string, actor: string): Promise<PipelineRun>
}
