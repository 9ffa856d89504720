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
export { buildModelCard, renderModelCardMarkdown, type ModelCardInput } from './model-card.js'
export type { ImportModelInput } from './model-import.js'
export {
  INPUT_EXAMPLE_FILE,
  MLMODEL_FILE,
  MODEL_ARTIFACT_PATH,
  ONNX_FILE,
  packageModel,
  readModelPackage,
  type ModelPackage,
  type PackageFile,
  type PackageModelInput,
} from './model-package.js'
export { ModelService, type DatasetRowsLookup, type OnnxDownload } from './model-service.js'
