import type { GetModelVersionResponse } from '@ballast/contracts'
import type { MetadataStore } from '../storage/index.js'
import type { ArtifactService, ExperimentService, RunService } from '../tracking/index.js'
import { AliasService } from './alias-service.js'
import { type ImportModelInput, importModel } from './model-import.js'
import { type DatasetRowsLookup, ModelService } from './model-service.js'
import { ModelVersionService } from './model-version-service.js'
import { RegisteredModelService } from './registered-model-service.js'

/** The model registry, split along its seams; routes call one of these per request. */
export interface RegistryService {
  readonly models: RegisteredModelService
  readonly versions: ModelVersionService
  readonly aliases: AliasService
  /** Ballast's native view: details, lineage, cards, ONNX download. */
  readonly details: ModelService
  /** Imports an ONNX file as a new version (see model-import.ts). */
  importModel(input: ImportModelInput, actorName: string): Promise<GetModelVersionResponse>
}

export interface RegistryDependencies {
  store: MetadataStore
  /** Runs are read through tracking's public service, for sources and lineage. */
  runs: RunService
  /** Model packages are read from (and imports logged to) the runs' artifacts. */
  artifacts: ArtifactService
  experiments: ExperimentService
  /** Rows of a dataset version, for model cards; unknown when absent. */
  datasetRows?: DatasetRowsLookup
  /** Largest ONNX file imported (`server.artifactBodyLimitBytes`); 5 GiB by default. */
  maxImportBytes?: number
}

const DEFAULT_MAX_IMPORT_BYTES = 5 * 1024 * 1024 * 1024

export function createRegistryService(deps: RegistryDependencies): RegistryService {
  const models = new RegisteredModelService(deps.store)
  const versions = new ModelVersionService(deps.store, deps.runs, deps.artifacts)
  const details = new ModelService(
    deps.store,
    models,
    deps.artifacts,
    deps.datasetRows ?? (async () => null),
  )
  return {
    models,
    versions,
    aliases: new AliasService(deps.store),
    details,
    importModel: (input, actorName) =>
      importModel(
        {
          models,
          versions,
          details,
          runs: deps.runs,
          experiments: deps.experiments,
          artifacts: deps.artifacts,
          maxBytes: deps.maxImportBytes ?? DEFAULT_MAX_IMPORT_BYTES,
          limitSetting: 'server.artifactBodyLimitBytes',
        },
        input,
        actorName,
      ),
  }
}
