export {
  createRegistryService,
  type RegistryDependencies,
  type RegistryService,
} from './registry-service.js'
export { AliasService, type SetAliasInput } from './alias-service.js'
export type { ModelVersionLineage } from './lineage.js'
export { parseModelSource, type ModelSource } from './model-source.js'
export { ModelVersionService, type CreateModelVersionInput } from './model-version-service.js'
export {
  RegisteredModelService,
  type KeyValue as RegistryKeyValue,
  type SearchRegistryInput,
} from './registered-model-service.js'
export { LIMITS as REGISTRY_LIMITS } from './validation.js'
