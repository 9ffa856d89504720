import type { ColumnType, Generated } from 'kysely'

/**
 * Table types of the metadata store. Times are epoch milliseconds. Integers that can exceed 2^31
 * are `bigint` columns read back as numbers (see the stores' type parsers).
 */
export interface ExperimentsTable {
  experiment_id: Generated<number>
  name: string
  artifact_location: string
  lifecycle_stage: string
  creation_time: number
  last_update_time: number
}

export interface ExperimentTagsTable {
  experiment_id: number
  key: string
  value: string
}

export interface RunsTable {
  run_uuid: string
  experiment_id: number
  name: string
  user_id: string
  status: string
  start_time: number
  end_time: number | null
  lifecycle_stage: string
  artifact_uri: string
  deleted_time: number | null
}

export interface ParamsTable {
  run_uuid: string
  key: string
  value: string
}

export interface TagsTable {
  run_uuid: string
  key: string
  value: string
}

/** The append-only metric history. */
export interface MetricsTable {
  run_uuid: string
  key: string
  value: number
  timestamp: number
  step: number
  /** 1 when the value is NaN (stored as 0), as MLflow keeps it. */
  is_nan: ColumnType<number, number | boolean, number | boolean>
}

/** Latest value per (run, key): highest step, then timestamp, then value. */
export interface LatestMetricsTable {
  run_uuid: string
  key: string
  value: number
  timestamp: number
  step: number
  is_nan: ColumnType<number, number | boolean, number | boolean>
}

export interface DatasetsTable {
  dataset_uuid: string
  experiment_id: number
  name: string
  digest: string
  source_type: string
  source: string
  schema: string | null
  profile: string | null
}

export interface InputsTable {
  input_uuid: string
  source_type: string
  source_id: string
  destination_type: string
  destination_id: string
}

export interface InputTagsTable {
  input_uuid: string
  key: string
  value: string
}

/** Index of artifact files: a run-relative path → a content-addressed blob. */
export interface ArtifactFilesTable {
  path: string
  digest: string
  size: number
  created_at: number
}

export interface TokensTable {
  token_id: string
  name: string
  role: string
  /** sha256 of the secret, hex. The secret itself is never stored. */
  token_hash: string
  created_at: number
  last_used_at: number | null
  revoked_at: number | null
}

/** A dataset Ballast manages (not MLflow's logged `datasets`). */
export interface ManagedDatasetsTable {
  name: string
  created_at: number
  created_by: string
  version_count: number
}

/** An immutable version of a managed dataset: a Parquet blob with its schema and profile. */
export interface DatasetVersionsTable {
  name: string
  version: number
  /** sha256 of the stored Parquet blob. */
  digest: string
  /** sha256 over the ingested bytes, format and filter: finds identical re-ingests. */
  source_digest: string
  source: string
  format: string
  row_count: number
  /** DatasetSchema as JSON. */
  schema: string
  /** DatasetProfile as JSON; null until profiled. */
  profile: string | null
  blob_digest: string
  size_bytes: number
  created_by: string
  created_at: number
}

/** A registered model (MLflow's model registry). */
export interface RegisteredModelsTable {
  name: string
  creation_timestamp: number
  last_updated_timestamp: number
  description: string
  user_id: string
  version_count: number
}

export interface RegisteredModelTagsTable {
  name: string
  key: string
  value: string
}

/** A numbered version of a registered model: a run's artifact, with its lineage snapshot. */
export interface ModelVersionsTable {
  name: string
  version: number
  creation_timestamp: number
  last_updated_timestamp: number
  description: string
  user_id: string
  current_stage: string
  source: string
  run_id: string
  run_link: string
  status: string
  experiment_id: number
  artifact_path: string
  /** ModelVersionLineage as JSON. */
  lineage: string
}

export interface ModelVersionTagsTable {
  name: string
  version: number
  key: string
  value: string
}

export interface RegisteredModelAliasesTable {
  name: string
  alias: string
  version: number
}

/** What a model version's package says: signature, input example, ONNX file, task, classes. */
export interface ModelVersionDetailsTable {
  name: string
  version: number
  flavor: string | null
  /** ModelSignature as JSON. */
  signature: string | null
  /** Input example records as JSON. */
  input_example: string | null
  onnx_path: string | null
  onnx_sha256: string | null
  onnx_size: number | null
  task: string | null
  /** JSON array. */
  classes: string | null
  target: string | null
  algo: string | null
}

/** The datasets a model version was made from, for lookup by digest. */
export interface ModelVersionDatasetsTable {
  name: string
  version: number
  position: number
  dataset_name: string
  dataset_version: number | null
  digest: string
  context: string | null
}

/** A unit of long work; a worker holds a lease on it while it runs. */
export interface JobsTable {
  /** 32 hex digits. */
  id: string
  kind: string
  /** JSON. */
  payload: string
  /** queued | running | succeeded | failed | cancelled */
  status: string
  attempts: number
  max_attempts: number
  created_by: string
  created_at: number
  started_at: number | null
  finished_at: number | null
  lease_owner: string | null
  lease_expires_at: number | null
  progress_done: number
  progress_total: number
  progress_message: string | null
  /** JSON; set when succeeded. */
  result: string | null
  /** `{code, message}` as JSON; set when failed. */
  error: string | null
  cancel_requested: number
  /** Epoch ms before which the job is not claimed (a retry's backoff); null: at once. */
  run_after: number | null
}

export interface JobLogsTable {
  job_id: string
  seq: number
  time: number
  level: string
  message: string
}

export interface WorkersTable {
  id: string
  hostname: string
  pid: number
  /** The job kinds it runs, as a JSON array. */
  kinds: string
  started_at: number
  heartbeat_at: number
}

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

/** A monitor on a deployment: how it windows the prediction log, its reference, and its cursor. */
export interface MonitorsTable {
  name: string
  deployment: string
  /** predictions | time */
  every_kind: string
  every_value: number
  /** `training` or `DATASET@VERSION`. */
  reference: string
  /** Tests, thresholds and the detector (JSON). */
  options: string
  cursor_time: number
  cursor_request_id: string | null
  windows: number
  detector_state: string | null
  created_by: string
  created_at: number
  updated_at: number
}

/** One evaluated window of a monitor: headline figures as columns, everything as JSON. */
export interface MonitorResultsTable {
  monitor: string
  window: number
  start_time: number
  end_time: number
  computed_at: number
  rows: number
  labeled: number
  drift_share: number | null
  dataset_drift: number | null
  prediction_drift_score: number | null
  prediction_drift: number | null
  quality_failures: number | null
  accuracy: number | null
  roc_auc: number | null
  f1: number | null
  rmse: number | null
  mae: number | null
  estimated_accuracy: number | null
  estimated_roc_auc: number | null
  result: string
}

/** Something a window found: drift_detected, data_quality_failed or performance_degraded. */
export interface MonitorEventsTable {
  id: Generated<number>
  monitor: string
  deployment: string
  type: string
  window: number
  time: number
  payload: string
}

/** Where a monitor's events are posted, and the key their deliveries are signed with. */
export interface MonitorWebhooksTable {
  id: string
  monitor: string
  url: string
  secret: string
  created_by: string
  created_at: number
}

/** The outbox: one row per event per webhook until it is delivered or given up. */
export interface WebhookDeliveriesTable {
  id: Generated<number>
  event_id: number
  webhook_id: string
  body: string
  /** pending | delivered | failed */
  status: string
  attempts: number
  next_attempt_at: number
  lease_until: number | null
  last_error: string | null
  last_status: number | null
  delivered_at: number | null
  created_at: number
}

/** One audited change, chained to the one before by `prev_hash`. */
export interface AuditLogTable {
  seq: number
  time: number
  actor: string
  action: string
  target: string
  before_digest: string | null
  after_digest: string | null
  detail: string | null
  prev_hash: string
  hash: string
}

/** One row (id 1): the last entry's sequence number and hash. */
export interface AuditHeadTable {
  id: number
  seq: number
  hash: string
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

export interface DatabaseSchema {
  experiments: ExperimentsTable
  experiment_tags: ExperimentTagsTable
  runs: RunsTable
  params: ParamsTable
  tags: TagsTable
  metrics: MetricsTable
  latest_metrics: LatestMetricsTable
  datasets: DatasetsTable
  inputs: InputsTable
  input_tags: InputTagsTable
  artifact_files: ArtifactFilesTable
  tokens: TokensTable
  managed_datasets: ManagedDatasetsTable
  dataset_versions: DatasetVersionsTable
  registered_models: RegisteredModelsTable
  registered_model_tags: RegisteredModelTagsTable
  model_versions: ModelVersionsTable
  model_version_tags: ModelVersionTagsTable
  registered_model_aliases: RegisteredModelAliasesTable
  model_version_details: ModelVersionDetailsTable
  model_version_datasets: ModelVersionDatasetsTable
  jobs: JobsTable
  job_logs: JobLogsTable
  workers: WorkersTable
  deployments: DeploymentsTable
  deployment_events: DeploymentEventsTable
  deployment_revision: DeploymentRevisionTable
  prediction_segments: PredictionSegmentsTable
  prediction_feedback: PredictionFeedbackTable
  monitors: MonitorsTable
  monitor_results: MonitorResultsTable
  monitor_events: MonitorEventsTable
  monitor_webhooks: MonitorWebhooksTable
  webhook_deliveries: WebhookDeliveriesTable
  audit_log: AuditLogTable
  audit_head: AuditHeadTable
  trigger_cursors: TriggerCursorsTable
  trigger_gates: TriggerGatesTable
  trigger_firings: TriggerFiringsTable
  promotion_decisions: PromotionDecisionsTable
  pipelines: PipelinesTable
  pipeline_runs: PipelineRunsTable
  pipeline_steps: PipelineStepsTable
  step_cache: StepCacheTable
  serving_stats: ServingStatsTable
  rollouts: RolloutsTable
}
