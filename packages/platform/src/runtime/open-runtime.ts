import type { Logger } from 'pino'
import type { ArtifactStore } from '../artifacts/artifact-store.js'
import { openArtifactStore } from '../artifacts/open-artifact-store.js'
import type { Config } from '../config/index.js'
import { createLogger } from '../observability/logger.js'
import { openMetadataStore, type MetadataStore } from '../storage/index.js'
import { createServices, type Services } from './services.js'

/** Everything one Ballast process holds open: stores, services, logger. */
export interface Runtime {
  readonly config: Config
  readonly logger: Logger
  readonly store: MetadataStore
  readonly artifacts: ArtifactStore
  readonly services: Services
  /** Closes the artifact store, then the metadata store. Safe to call more than once. */
  close(): Promise<void>
}

export interface OpenRuntimeOptions {
  /** Defaults to JSON lines on standard error at `config.log.level`. */
  logger?: Logger
}

/**
 * Opens the metadata store (migrating it under a lock, so several processes may start together),
 * then the artifact store, and builds the services. When a step fails, what was opened is closed.
 */
export async function openRuntime(
  config: Config,
  options: OpenRuntimeOptions = {},
): Promise<Runtime> {
  const logger = options.logger ?? createLogger({ level: config.log.level })
  const store = await openMetadataStore(config.database)
  let artifacts: ArtifactStore
  try {
    artifacts = await openArtifactStore(config.artifactStore, config.s3)
  } catch (error) {
    await store.close()
    throw error
  }
  const services = createServices({
    store,
    artifacts,
    maxIngestBytes: config.server.artifactBodyLimitBytes,
    monitoring: {
      allowPrivateWebhooks: config.monitoring.allowPrivateWebhooks,
      settleMs: config.serving.predictionLog.flushIntervalMs + 2_000,
    },
  })
  logger.debug({ store: store.description, artifacts: artifacts.description }, 'runtime opened')

  let closing: Promise<void> | undefined
  const closeAll = async () => {
    try {
      await services.data.close()
      await artifacts.close()
    } finally {
      await store.close()
    }
  }
  return {
    config,
    logger,
    store,
    artifacts,
    services,
    close: () => (closing ??= closeAll()),
  }
}
