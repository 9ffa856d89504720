export {
  createTrackingService,
  type TrackingDependencies,
  type TrackingService,
} from './tracking-service.js'
export { ArtifactService, type ArtifactDownload } from './artifact-service.js'
export { contentTypeFor } from './content-types.js'
export {
  ExperimentService,
  experimentArtifactLocation,
  type CreateExperimentInput,
  type SearchExperimentsInput,
} from './experiment-service.js'
export { InputsService, type DatasetInput } from './inputs-service.js'
export {
  LoggingService,
  RUN_NAME_TAG,
  type KeyValue,
  type LogBatchInput,
  type MetricInput,
} from './logging-service.js'
export {
  BULK_MAX_RESULTS,
  BULK_MAX_RUNS,
  HISTORY_MAX_RESULTS,
  MetricHistoryService,
  type BulkIntervalInput,
  type HistoryPageInput,
} from './metric-history.js'
export {
  DEFAULT_EXPERIMENT_ID,
  RunService,
  runArtifactUri,
  type CreateRunInput,
  type SearchRunsInput,
  type UpdateRunInput,
} from './run-service.js'
export { LIMITS as TRACKING_LIMITS } from './validation.js'
