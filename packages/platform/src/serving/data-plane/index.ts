export type { DataPlane } from './data-plane.js'
export { ServingEngine } from './serving-engine.js'
export {
  OverloadedError,
  type Answer,
  type DeploymentSource,
  type ModelLoader,
  type PredictOptions,
  type PredictionSink,
  type ServingEngineOptions,
} from './engine-options.js'
export { ServingMetrics } from './serving-metrics.js'
export {
  parseRecordsRequest,
  parseV1Instances,
  parseV2InferRequest,
  type V2InferRequest,
} from './protocol-bodies.js'
export { recordRequestId } from './prediction-rows.js'
export {
  openDataPlane,
  type OpenDataPlaneOptions,
  type RunningDataPlane,
  type ServingSettings,
} from './open-data-plane.js'
export {
  LATENCY_BOUNDS_MS,
  LATENCY_BUCKETS,
  latencyBucket,
  latencyQuantile,
} from './latency-histogram.js'
export { ServingStats, type ServingStatsDelta } from './serving-stats.js'
export {
  DEFAULT_STATS_FLUSH_INTERVAL_MS,
  ServingStatsWriter,
  type ServingStatsWriterOptions,
} from './serving-stats-writer.js'
export {
  readServingStats,
  type ServingStatsQuery,
  type ServingStatsTotals,
} from './read-serving-stats.js'
