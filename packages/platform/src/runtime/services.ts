import type { ArtifactStore } from '../artifacts/artifact-store.js'
import { createDataService, type DataService } from '../data/index.js'
import { createTokenService, type TokenService } from '../governance/token-service.js'
import { createRegistryService, type RegistryService } from '../registry/index.js'
import {
  DeploymentService,
  type FeedbackService,
  type PredictionStore,
  createFeedbackService,
  createPredictionStore,
} from '../serving/index.js'
import type { MetadataStore } from '../storage/index.js'
import { JobQueue } from '../storage/jobs/index.js'
import { createTrackingService, type TrackingService } from '../tracking/index.js'

/**
 * Everything a route handler or CLI command may call, built once per process. Each context adds
 * its service here.
 */
export interface Services {
  readonly store: MetadataStore
  readonly artifacts: ArtifactStore
  readonly tokens: TokenService
  readonly tracking: TrackingService
  readonly data: DataService
  readonly registry: RegistryService
  /** Long work: enqueued by the API, run by workers. */
  readonly jobs: JobQueue
  /** Serving: each part of it adds its member. */
  readonly serving: {
    /** What each endpoint serves (control plane). */
    readonly deployments: DeploymentService
    /** The prediction log's segments: queries and exports joined with labels. */
    readonly predictions: PredictionStore
    /** True labels of logged predictions. */
    readonly feedback: FeedbackService
  }
}

export interface ServiceDependencies {
  store: MetadataStore
  artifacts: ArtifactStore
  /** Largest dataset file ingested (`server.artifactBodyLimitBytes`); 5 GiB by default. */
  maxIngestBytes?: number
}

/** Rows of a dataset version for model cards; null when it is not there (any more). */
async function datasetRows(
  data: DataService,
  name: string,
  version: number,
): Promise<number | null> {
  try {
    return (await data.getVersion(name, version)).rowCount
  } catch {
    return null
  }
}

export function createServices(deps: ServiceDependencies): Services {
  const tracking = createTrackingService({ store: deps.store, artifacts: deps.artifacts })
  const data = createDataService({
    store: deps.store,
    artifacts: deps.artifacts,
    ...(deps.maxIngestBytes === undefined ? {} : { maxIngestBytes: deps.maxIngestBytes }),
  })
  const registry = createRegistryService({
    store: deps.store,
    runs: tracking.runs,
    artifacts: tracking.artifacts,
    experiments: tracking.experiments,
    datasetRows: (name, version) => datasetRows(data, name, version),
    ...(deps.maxIngestBytes === undefined ? {} : { maxImportBytes: deps.maxIngestBytes }),
  })
  const feedback = createFeedbackService({ store: deps.store })
  return {
    store: deps.store,
    artifacts: deps.artifacts,
    tokens: createTokenService({ store: deps.store }),
    jobs: new JobQueue(deps.store),
    tracking,
    data,
    registry,
    serving: {
      deployments: new DeploymentService(deps.store, registry),
      predictions: createPredictionStore({
        store: deps.store,
        artifacts: deps.artifacts,
        feedback,
      }),
      feedback,
    },
  }
}
