import type { ArtifactStore } from '../artifacts/artifact-store.js'
import { createDataService, type DataService } from '../data/index.js'
import { createTokenService, type TokenService } from '../governance/token-service.js'
import { createRegistryService, type RegistryService } from '../registry/index.js'
import type { MetadataStore } from '../storage/index.js'
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
}

export interface ServiceDependencies {
  store: MetadataStore
  artifacts: ArtifactStore
  /** Largest dataset file ingested (`server.artifactBodyLimitBytes`); 5 GiB by default. */
  maxIngestBytes?: number
}

export function createServices(deps: ServiceDependencies): Services {
  const tracking = createTrackingService({ store: deps.store, artifacts: deps.artifacts })
  return {
    store: deps.store,
    artifacts: deps.artifacts,
    tokens: createTokenService({ store: deps.store }),
    tracking,
    data: createDataService({
      store: deps.store,
      artifacts: deps.artifacts,
      ...(deps.maxIngestBytes === undefined ? {} : { maxIngestBytes: deps.maxIngestBytes }),
    }),
    registry: createRegistryService({ store: deps.store, runs: tracking.runs }),
  }
}
