import type { Generated } from 'kysely'

/** Orchestration: pipelines, runs, steps, the step cache, decisions and triggers. */

/** A pipeline's spec as last applied. */
export interface PipelinesTable {
  name: string
  /** The YAML text it was applied from; null when applied as JSON. */
  spec_yaml: string | null
  /** PipelineSpec as JSON. */
  spec: string
  digest: string
  created_by: string
  created_at: number
  updated_at: number
}

export interface PipelineRunsTable {
  id: string
  pipeline: string
  /** PipelineSpec as JSON, frozen when the run started. */
  spec: string
  spec_digest: string
  /** queued | running | succeeded | failed | cancelled */
  status: string
  /** RunTrigger as JSON. */
  trigger: string
  /** JSON. */
  params: string
  created_by: string
  created_at: number
  started_at: number | null
  finished_at: number | null
  error: string | null
}

/** One step of one pipeline run. */
export interface PipelineStepsTable {
  run_id: string
  step: string
  /** The step's place in the spec. */
  position: number
  kind: string
  /** pending | running | succeeded | failed | skipped | cached */
  status: string
  attempts: number
  job_id: string | null
  cache_key: string | null
  /** StepOutputs as JSON. */
  outputs: string | null
  tracking_run_id: string | null
  error: string | null
  started_at: number | null
  finished_at: number | null
}

/** Outputs of a step by the digest of its kind and resolved inputs. */
export interface StepCacheTable {
  cache_key: string
  kind: string
  /** StepOutputs as JSON. */
  outputs: string
  source_run_id: string
  source_step: string
  tracking_run_id: string | null
  created_at: number
}

/** A challenger judged against the champion under a promotion policy. */
export interface PromotionDecisionsTable {
  id: Generated<number>
  model: string
  challenger_version: number
  champion_version: number | null
  /** JSON: the policy as written, the facts, and the result of each rule. */
  policy: string
  facts: string
  /** passed | failed | pending_approval */
  status: string
  rules: string
  pipeline_run: string | null
  decided_at: number
  decided_by: string
  approved_by: string | null
  approved_at: number | null
}

/** What one pipeline trigger has seen: a schedule time, a dataset version or a monitor event id. */
export interface TriggerCursorsTable {
  pipeline: string
  trigger_index: number
  spec: string
  position: number
  updated_at: number
}

/** Per pipeline: its last triggered start and the UTC day's count of triggered runs. */
export interface TriggerGatesTable {
  pipeline: string
  last_started_at: number
  last_run_id: string | null
  day: number
  day_runs: number
}

/** Every firing of a pipeline trigger and what came of it. */
export interface TriggerFiringsTable {
  id: Generated<number>
  time: number
  pipeline: string
  trigger_index: number
  kind: string
  reason: string
  trigger_values: string
  /** started | merged | capped | failed */
  outcome: string
  run_id: string | null
  error: string | null
}
