import type { DatasetVersionsTable, ManagedDatasetsTable } from './tables/data-tables.js'
import type { AuditHeadTable, AuditLogTable, TokensTable } from './tables/governance-tables.js'
import type { JobLogsTable, JobsTable, WorkersTable } from './tables/jobs-tables.js'
import type {
  MonitorEventsTable,
  MonitorResultsTable,
  MonitorWebhooksTable,
  MonitorsTable,
  WebhookDeliveriesTable,
} from './tables/monitoring-tables.js'
import type {
  PipelineRunsTable,
  PipelineStepsTable,
  PipelinesTable,
  PromotionDecisionsTable,
  StepCacheTable,
  TriggerCursorsTable,
  TriggerFiringsTable,
  TriggerGatesTable,
} from './tables/orchestration-tables.js'
import type {
  ModelVersionDatasetsTable,
  ModelVersionDetailsTable,
  ModelVersionTagsTable,
  ModelVersionsTable,
  RegisteredModelAliasesTable,
  RegisteredModelTagsTable,
  RegisteredModelsTable,
} from './tables/registry-tables.js'
import type {
  DeploymentEventsTable,
  DeploymentRevisionTable,
  DeploymentsTable,
  PredictionFeedbackTable,
  PredictionSegmentsTable,
  RolloutsTable,
  ServingStatsTable,
} from './tables/serving-tables.js'
import type {
  ArtifactFilesTable,
  DatasetsTable,
  ExperimentTagsTable,
  ExperimentsTable,
  InputTagsTable,
  InputsTable,
  LatestMetricsTable,
  MetricsTable,
  ParamsTable,
  RunsTable,
  TagsTable,
} from './tables/tracking-tables.js'

export type * from './tables/data-tables.js'
export type * from './tables/governance-tables.js'
export type * from './tables/jobs-tables.js'
export type * from './tables/monitoring-tables.js'
export type * from './tables/orchestration-tables.js'
export type * from './tables/registry-tables.js'
export type * from './tables/serving-tables.js'
export type * from './tables/tracking-tables.js'

/**
 * Table types of the metadata store, one file per context under `tables/`. Times are epoch
 * milliseconds. Integers that can exceed 2^31 are `bigint` columns read back as numbers (see the
 * stores' type parsers).
 */
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
