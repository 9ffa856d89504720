import type { Generated } from 'kysely'

/** Serving: the prediction log, feedback, deployments, serving counters and rollouts. */

/** One Parquet segment of the prediction log: a deployment's rows from one flush. */
export interface PredictionSegmentsTable {
  id: string
  deployment: string
  min_time: number
  max_time: number
  rows: number
  blob_digest: string
  created_at: number
}

/** The true label of a logged prediction; a later label replaces an earlier one. */
export interface PredictionFeedbackTable {
  deployment: string
  request_id: string
  label: string
  time: number
}

/** What an endpoint serves: a primary version, and optionally a canary and a shadow. */
export interface DeploymentsTable {
  name: string
  model: string
  /** alias | version */
  target_kind: string
  target_alias: string | null
  /** Pinned: the version. Alias: the version the alias pointed at when last looked at. */
  target_version: number | null
  version: number
  previous_version: number | null
  canary_version: number | null
  canary_percent: number | null
  shadow_version: number | null
  /** The global deployment revision of the last change. */
  revision: number
  created_by: string
  created_at: number
  updated_at: number
}

/** One change of a deployment: who, when, and the deployment before and after (JSON). */
export interface DeploymentEventsTable {
  id: Generated<number>
  deployment: string
  time: number
  actor: string
  action: string
  before: string | null
  after: string | null
  revision: number
  detail: string | null
}

/** One row (id 1): bumped by every deployment change, read by servers to know when to reload. */
export interface DeploymentRevisionTable {
  id: number
  revision: number
}

/** One (deployment, model version, minute)'s serving counters, summed over every server. */
export interface ServingStatsTable {
  deployment: string
  model: string
  version: number
  minute: number
  requests: number
  errors: number
  predictions: number
  cpu_ms: number
  /** Requests per latency bucket (serving/data-plane/latency-histogram.ts). */
  latency_0: number
  latency_1: number
  latency_2: number
  latency_3: number
  latency_4: number
  latency_5: number
  latency_6: number
  latency_7: number
  latency_8: number
  latency_9: number
  latency_10: number
  latency_11: number
  latency_12: number
  latency_13: number
}

/** A rollout of a model version to a deployment: directly, or as a watched canary. */
export interface RolloutsTable {
  id: string
  deployment: string
  model: string
  version: number
  from_version: number | null
  percent: number | null
  /** watching | promoted | rolled_back | deployed | failed */
  status: string
  alias: string | null
  alias_version: number | null
  started_at: number
  finished_at: number | null
  figures: string
  reasons: string
  pipeline_run: string | null
  step: string | null
  created_by: string
}
