import type { MetadataStore } from '../storage/index.js'
import type { RunService } from '../tracking/index.js'
import { AliasService } from './alias-service.js'
import { ModelVersionService } from './model-version-service.js'
import { RegisteredModelService } from './registered-model-service.js'

/** The model registry, split along its seams; routes call one of these per request. */
export interface RegistryService {
  readonly models: RegisteredModelService
  readonly versions: ModelVersionService
  readonly aliases: AliasService
}

export interface RegistryDependencies {
  store: MetadataStore
  /** Runs are read through tracking's public service, for sources and lineage. */
  runs: RunService
}

export function createRegistryService(deps: RegistryDependencies): RegistryService {
  return {
    models: new RegisteredModelService(deps.store),
    versions: new ModelVersionService(deps.store, deps.runs),
    aliases: new AliasService(deps.store),
  }
}
