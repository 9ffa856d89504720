export { argmaxRows, evaluate, type Evaluation } from './evaluate.js'
export { TrainingCancelledError, trainTabular } from './train-tabular.js'
export { fitPreprocessing, onnxFeeds, transform } from './preprocess.js'
export type { Preprocessing } from './preprocess.js'
export { parseDimension, searchTrials } from './search-space.js'
export { parseParams } from './params.js'
export type { SearchDimension } from './search-space.js'
export type {
  ModelOutput,
  SearchSpec,
  SplitSpec,
  TabularAlgo,
  TabularColumn,
  TabularColumnType,
  TabularEvaluation,
  TabularModel,
  TabularPrediction,
  TabularTable,
  TabularTask,
  TrainOptions,
  TrainPhase,
  TrainProgress,
  TrainRequest,
  TrialResult,
} from './types.js'
export {
  HOLDOUT_SCORES_PATH,
  MAX_HOLDOUT_ROWS,
  decodeHoldoutScores,
  encodeHoldoutScores,
  type HoldoutScores,
} from './holdout-scores.js'
