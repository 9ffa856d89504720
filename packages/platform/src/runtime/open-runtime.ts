import type { Hono } from 'hono'
import type { Logger } from 'pino'
import type { ArtifactStore } from '../artifacts/artifact-store.js'
import { openArtifactStore } from '../artifacts/open-artifact-store.js'
import type { Config } from '../config/index.js'
import { createApp, type AppEnv } from '../http/app.js'
import type { AnyRoute } from '../http/route.js'
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
  const services = createServices({ store, artifacts })
  logger.debug({ store: store.description, artifacts: artifacts.description }, 'runtime opened')

  let closing: Promise<void> | undefined
  const closeAll = async () => {
    try {
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

export interface RuntimeAppOptions {
  /** Overrides `config.auth.enabled`. */
  authEnabled?: boolean
  /** Routes to serve; every route of Ballast by default. */
  routes?: readonly AnyRoute[]
}

/** The HTTP app over a runtime, with the configuration's body limits and auth setting. */
export function createRuntimeApp(runtime: Runtime, options: RuntimeAppOptions = {}): Hono<AppEnv> {
  const { server, auth } = runtime.config
  return createApp({
    services: runtime.services,
    logger: runtime.logger,
    auth: { enabled: options.authEnabled ?? auth.enabled },
    bodyLimitBytes: server.bodyLimitBytes,
    artifactBodyLimitBytes: server.artifactBodyLimitBytes,
    ...(options.routes === undefined ? {} : { routes: options.routes }),
  })
}
