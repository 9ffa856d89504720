import type { ColumnType, Generated } from 'kysely'

/** The tracking context: experiments, runs, their values, logged datasets and artifact files. */

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
