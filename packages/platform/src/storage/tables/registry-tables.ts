/** The model registry: models, versions, tags, aliases, package details and lineage. */

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
