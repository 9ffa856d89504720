export {
  Ballast,
  type BallastOptions,
  type Experiment,
  type SearchRunsOptions,
  type StartRunOptions,
} from './ballast.js'
export { Run, type DatasetInput, type TagValue } from './run.js'
export {
  HttpClient,
  type FetchLike,
  type HttpClientOptions,
  type SendOptions,
} from './http-client.js'
export { LOG_BATCH_LIMITS } from './log-buffer.js'
export type * from './wire-types.js'
export * from './pipelines/index.js'
export type { PipelineRunWire, PipelineWire, StepRunWire } from '@ballast/contracts'
export {
  AlreadyExistsError,
  AppError,
  InvalidParameterError,
  NotFoundError,
  isAppError,
  type ErrorCode,
} from '@ballast/contracts'
