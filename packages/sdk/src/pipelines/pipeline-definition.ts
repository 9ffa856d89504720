import type { ExpectationType, TrainingRequestInput } from '@ballast/contracts'

/**
 * A pipeline as a TypeScript value: the shape `POST /api/v1/pipelines` takes as `{spec}`, which
 * the server checks by the same rules as YAML. Inputs are typed per step kind; wherever a value
 * goes, a reference (`${{ steps.data.outputs.dataset }}`, built with `ref` or a step handle's
 * `outputs`) may stand instead.
 */

/** `${{ params.NAME }}`, `${{ steps.STEP.outputs.KEY }}` or `${{ trigger.KEY }}`. */
export type Ref = `\${{${string}}}`

/** A value, or a reference that resolves to one when the step runs. */
export type Templated<T> = T extends string | number | boolean
  ? T | Ref
  : T extends readonly (infer U)[]
    ? Templated<U>[]
    : T extends object
      ? { [K in keyof T]: Templated<T[K]> }
      : T

export type ParamValue = string | number | boolean

export type MonitorEvent = 'drift_detected' | 'performance_degraded' | 'data_quality_failed'

export type TriggerDefinition =
  /** Five-field cron (minute hour day-of-month month day-of-week), UTC. */
  | { kind: 'schedule'; cron: string }
  /** Each new version of the dataset. */
  | { kind: 'dataset'; dataset: string }
  /** Monitor events of these types, optionally from one monitor or deployment. */
  | { kind: 'event'; events: MonitorEvent[]; monitor?: string; deployment?: string }

export interface PipelineLimitsDefinition {
  /** Triggers firing within this long after a run started are merged into it (default 10 min). */
  debounceMs?: number
  /** At most this many triggered runs per UTC day (default 3); manual runs are not counted. */
  maxRunsPerDay?: number
}

/** The labelled predictions of a deployment, oldest first: the newest `last`, minus `skip_last`. */
export interface PredictionWindow {
  deployment: string
  last: number
  skip_last?: number
  /** Epoch milliseconds narrowing the log first. */
  from?: number
  to?: number
}

export type IngestInputs =
  /** A file, ingested as a new version when its bytes are new (uploaded by the SDK by default). */
  | { file: string; dataset?: string; format?: 'csv' | 'tsv' | 'json' | 'ndjson' | 'parquet' }
  /** Labelled production data from the prediction log, ingested as a version of `dataset`. */
  | { predictions: PredictionWindow; dataset: string; label?: string }
  /** An existing version, `NAME@VERSION` or `NAME@latest`, passed through. */
  | { dataset: string }

/** An expectation suite as `ballast validate` reads it (Great Expectations' JSON shape). */
export interface SuiteDefinition {
  name?: string
  expectations: {
    expectation_type: ExpectationType
    kwargs?: Record<string, unknown>
    meta?: Record<string, unknown>
  }[]
  meta?: Record<string, unknown>
}

export interface ValidateInputs {
  dataset: string
  /** The suite inline, or a JSON file (read and sent inline by the SDK). */
  suite: SuiteDefinition | string
  allow_failure?: boolean
}

export type TrainInputs = TrainingRequestInput

export interface RegisterInputs {
  run_id: string
  model: string
  alias?: string
  /** Compare-and-set: the alias moves only if it still points at this version. */
  expected_version?: number | string
  /** The model's folder in the run's artifacts (default `model`). */
  path?: string
}

/** One rule of a promotion policy; see the retraining guide for what each checks. */
export type PolicyRule =
  | { metric: string; min_improvement: number }
  | { metrics: string[]; max_regression: number }
  | { metric: string; min?: number; max?: number }
  | { validation: 'passed' }
  | { drift: { max_share: number } }
  | { approval: 'required' }

export interface PolicyDefinition {
  rules: PolicyRule[]
}

export interface EvaluateInputs {
  /** `MODEL/VERSION`, usually the train step's `model` output. */
  challenger: string
  /** `MODEL@ALIAS`, `MODEL/VERSION`, or the version a deployment serves. */
  champion: string | { deployment: string }
  data: PredictionWindow | { dataset: string; target: string }
  /** The policy inline, or a JSON file (read and sent inline by the SDK). */
  policy: PolicyDefinition | string
  facts?: { validation?: boolean; drift_share?: number }
}

export interface CanaryDefinition {
  percent: number
  watch?: { predictions?: number; duration?: string | number; timeout?: string | number }
  max_error_rate?: number
  max_latency_p99_ratio?: number
  min_accuracy_delta?: number
  min_labelled?: number
}

export interface DeployInputs {
  deployment: string
  /** `MODEL/VERSION` or `MODEL@ALIAS`. */
  model: string
  canary?: CanaryDefinition
  /** Moved to the version once it is promoted, with compare-and-set. */
  alias?: string
}

export interface CommandInputs {
  /** argv, run without a shell on the worker. */
  run: string[]
  cwd?: string
  env?: Record<string, string>
  /** Files whose bytes make part of the cache key. */
  code?: string[]
}

export interface StepInputsByKind {
  ingest: IngestInputs
  validate: ValidateInputs
  train: TrainInputs
  evaluate: EvaluateInputs
  register: RegisterInputs
  deploy: DeployInputs
  command: CommandInputs
}

export type StepKind = keyof StepInputsByKind

/** What each kind hands to later steps (a train step also outputs each metric by name). */
export interface StepOutputsByKind {
  ingest: 'dataset' | 'digest' | 'rows'
  validate: 'passed' | 'failed_expectations'
  train: 'run_id' | 'dataset' | 'model' | (string & {})
  evaluate:
    | 'passed'
    | 'status'
    | 'decision_id'
    | 'reasons'
    | 'challenger'
    | 'champion'
    | 'rows'
    | (string & {})
  register: 'model' | 'version'
  deploy:
    'action' | 'deployment' | 'version' | 'from_version' | 'rollout' | 'reasons' | (string & {})
  command: 'exit_code'
}

export interface StepOptions {
  /** Steps this one waits for besides those its references name. */
  needs?: string[]
  /** A reference or literal; when false the step is skipped, and so is every step after it that needs it. */
  if?: Ref | boolean
  /** Attempts before the step fails (1–10, default 3). */
  retries?: number
  /** `false`: always run, never reuse an earlier run's outputs. */
  cache?: boolean
}

export type StepDefinition = {
  [K in StepKind]: { name: string; kind: K; with: Templated<StepInputsByKind[K]> } & StepOptions
}[StepKind]

export interface PipelineDefinition {
  name: string
  description?: string
  /** Defaults for `${{ params.NAME }}`; a run may override them. */
  params?: Record<string, ParamValue>
  triggers?: TriggerDefinition[]
  limits?: PipelineLimitsDefinition
  steps: StepDefinition[]
}
