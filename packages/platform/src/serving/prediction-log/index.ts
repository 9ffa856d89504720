export {
  DEFAULT_FLUSH_INTERVAL_MS,
  DEFAULT_MAX_BUFFERED_ROWS,
  DEFAULT_SEGMENT_MAX_ROWS,
  PredictionLog,
  type FlushResult,
  type PredictionLogOptions,
} from './prediction-log.js'
export {
  MAX_FEEDBACK_ITEMS,
  createFeedbackService,
  type FeedbackItem,
  type FeedbackLabel,
  type FeedbackService,
} from './feedback-service.js'
export {
  createPredictionStore,
  type ExportResult,
  type PredictionFiles,
  type PredictionQuery,
  type PredictionStore,
  type PredictionStoreDependencies,
} from './prediction-store.js'
export type { PredictionSegment, TimeRange } from './prediction-segments.js'
export {
  DEFAULT_COMPACTION_AGE_MS,
  DEFAULT_COMPACTION_TARGET_ROWS,
  compactSegments,
  type CompactSegmentsOptions,
  type CompactionResult,
} from './segment-compaction.js'
export { PREDICTION_COLUMNS } from './segment-file.js'
