import { AppError } from '@ballast/contracts'
import type { Logger } from 'pino'
import type { Deployment, LoadedModel, PredictionRow } from '../serving-types.js'
import type { ServingMetrics } from './serving-metrics.js'

/** The deployments the engine follows (the deployment service, or a fake in tests). */
export interface DeploymentSource {
  list(): Promise<readonly Deployment[]>
  /** Changes whenever any deployment changes. */
  revision(): Promise<number>
  /** Moves deployments that follow an alias to where the alias points now. */
  followAliases(): Promise<unknown>
}

/** Where answered records go (the prediction log); `append` must not block. */
export interface PredictionSink {
  append(row: PredictionRow): void
}

export type ModelLoader = (model: string, version: number) => Promise<LoadedModel>

export interface ServingEngineOptions {
  deployments: DeploymentSource
  load: ModelLoader
  log?: PredictionSink
  metrics?: ServingMetrics
  logger?: Logger
  /** Serve only the deployments this accepts (`ballast serve --deployment`). */
  filter?: (deployment: string) => boolean
  syncIntervalMs?: number
  requestTimeoutMs?: number
  maxInFlight?: number
  /** In [0, 1); the canary split for requests without a routing key. */
  random?: () => number
}

export interface PredictOptions {
  /** The request's id; each record is logged as `<id>-<index>`. */
  requestId: string
  /** Requests with the same key are answered by the same version. */
  routingKey?: string
  /** Answer with this version of the deployment (primary, canary or shadow) instead of routing. */
  version?: number
}

export interface Answer<T> {
  model: LoadedModel
  result: T
}

/** A 503 the client should retry after `retryAfterSeconds`. */
export class OverloadedError extends AppError {
  readonly retryAfterSeconds = 1
  constructor(message: string) {
    super('TEMPORARILY_UNAVAILABLE', message)
  }
}
