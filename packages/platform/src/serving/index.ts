export * from './serving-types.js'
export { loadModel, type LoadModelOptions } from './model-runtime/load-model.js'
export {
  ALIAS_FOLLOW_ACTOR,
  DeploymentService,
  type CanaryInput,
  type CreateDeploymentInput,
  type DeploymentServiceOptions,
  type VersionChoice,
} from './deployments/deployment-service.js'
export type { DeploymentEvent } from './deployments/deployment-record.js'
export {
  formatModelRef,
  parseModelRef,
  validateDeploymentName,
  type ModelRef,
} from './deployments/deployment-ref.js'
export {
  OverloadedError,
  ServingEngine,
  ServingMetrics,
  openDataPlane,
  parseRecordsRequest,
  parseV1Instances,
  parseV2InferRequest,
  recordRequestId,
  type Answer,
  type DataPlane,
  type DeploymentSource,
  type ModelLoader,
  type PredictOptions,
  type PredictionSink,
  type ServingEngineOptions,
  type V2InferRequest,
  type OpenDataPlaneOptions,
  type RunningDataPlane,
  type ServingSettings,
  LATENCY_BOUNDS_MS,
  latencyQuantile,
  ServingStats,
  ServingStatsWriter,
  readServingStats,
  type ServingStatsQuery,
  type ServingStatsTotals,
} from './data-plane/index.js'
export {
  DEFAULT_BATCH_SIZE,
  scoreBatch,
  type BatchModel,
  type BatchProgress,
  type ScoreBatchOptions,
  type ScoreBatchResult,
} from './batch/score-batch.js'
export type { BatchFile } from './batch/batch-input.js'
export * from './prediction-log/index.js'
export * from './rollouts/index.js'
