import type { ArtifactStore } from '../artifacts/artifact-store.js'
import type { MetadataStore } from '../storage/index.js'
import { ArtifactService } from './artifact-service.js'
import { ExperimentService } from './experiment-service.js'
import { InputsService } from './inputs-service.js'
import { LoggingService } from './logging-service.js'
import { MetricHistoryService } from './metric-history.js'
import { RunService } from './run-service.js'

/** Experiment tracking, split along its seams; routes call one of these per request. */
export interface TrackingService {
  readonly experiments: ExperimentService
  readonly runs: RunService
  readonly logging: LoggingService
  readonly inputs: InputsService
  readonly metrics: MetricHistoryService
  readonly artifacts: ArtifactService
}

export interface TrackingDependencies {
  store: MetadataStore
  artifacts: ArtifactStore
}

export function createTrackingService(deps: TrackingDependencies): TrackingService {
  return {
    experiments: new ExperimentService(deps.store),
    runs: new RunService(deps.store),
    logging: new LoggingService(deps.store),
    inputs: new InputsService(deps.store),
    metrics: new MetricHistoryService(deps.store),
    artifacts: new ArtifactService(deps.store, deps.artifacts),
  }
}
