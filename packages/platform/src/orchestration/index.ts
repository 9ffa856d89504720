export * from './pipelines/pipeline-types.js'
export * from './policy/index.js'
export {
  DEFAULT_BACKOFF_MS,
  DEFAULT_STEP_ATTEMPTS,
  PIPELINE_STEP_JOB,
  PipelineCoordinator,
  type PipelineStepPayload,
  type StepResult,
  type StepState,
} from './pipelines/pipeline-coordinator.js'
export {
  PipelineEngine,
  isFinalRunStatus,
  type PipelineEngineOptions,
} from './pipelines/pipeline-engine.js'
export { conditionHolds, resolveValue, type ReferenceScope } from './pipelines/pipeline-refs.js'
export {
  checkPipelineSpec,
  parsePipelineYaml,
  type SpecCheckOptions,
  type StepCatalog,
} from './pipelines/pipeline-spec.js'
export { DEFAULT_LIMITS } from './pipelines/pipeline-spec-schema.js'
export { sha256, specDigest } from './pipelines/pipeline-store.js'
export * from './triggers/index.js'
