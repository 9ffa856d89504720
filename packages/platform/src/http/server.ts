import type { AddressInfo } from 'node:net'
import type { Server } from 'node:http'
import { AppError } from '@ballast/contracts'
import { createAdaptorServer } from '@hono/node-server'
import { readFileSync } from 'node:fs'
import { isLoopbackHost } from '../config/index.js'
import { createHttpMetrics } from '../observability/index.js'
import type { Runtime } from '../runtime/open-runtime.js'
import { openDataPlane, type RunningDataPlane } from '../serving/index.js'
import { createInferenceRoutes } from './routes/inference-routes.js'
import { ALL_ROUTES } from './routes/index.js'
import { createRuntimeApp, type RuntimeAppOptions } from './runtime-app.js'

// src/http and dist/http are both two folders below the package root.
const VERSION = (
  JSON.parse(readFileSync(new URL('../../package.json', import.meta.url), 'utf8')) as {
    version: string
  }
).version

export interface StartServerOptions extends RuntimeAppOptions {
  host: string
  /** 0 picks a free port; read it from `url`. */
  port: number
  /**
   * The data plane (inference routes over the deployments), on by default: `only` names the
   * deployments served (all by default); `readiness` makes `/health/ready` wait for their models.
   * `false` serves no deployment.
   */
  serving?: false | { only?: readonly string[]; readiness?: boolean }
}

export interface RunningServer {
  /** `http://host:port`, with the port actually bound. */
  readonly url: string
  /** The deployments this server answers for; absent with `serving: false`. */
  readonly dataPlane: RunningDataPlane | undefined
  /**
   * Graceful shutdown: stops accepting connections, lets requests in flight finish (up to
   * `server.shutdownTimeoutMs`, then cuts the remaining connections), closes idle keep-alive
   * connections, then closes the runtime. Safe to call more than once.
   */
  close(): Promise<void>
}

function formatUrl(host: string, port: number): string {
  const bare = host.replace(/^\[|\]$/g, '')
  return `http://${bare.includes(':') ? `[${bare}]` : bare}:${port}`
}

/** Serves the runtime's HTTP app on a socket. The runtime belongs to the server from here on. */
export async function startServer(
  runtime: Runtime,
  options: StartServerOptions,
): Promise<RunningServer> {
  const authEnabled = options.authEnabled ?? runtime.config.auth.enabled
  if (!authEnabled && !isLoopbackHost(options.host)) {
    throw new AppError(
      'INVALID_PARAMETER_VALUE',
      `server.host: ${options.host} is not a loopback address; listening beyond this machine requires auth.enabled (BALLAST_AUTH=true)`,
    )
  }
  const metrics = createHttpMetrics()
  const serving = options.serving ?? {}
  const dataPlane =
    serving === false
      ? undefined
      : openDataPlane({
          store: runtime.store,
          artifacts: runtime.artifacts,
          registry: runtime.services.registry,
          deployments: runtime.services.serving.deployments,
          settings: runtime.config.serving,
          metricsRegistry: metrics.registry,
          server: { name: 'ballast', version: VERSION },
          bodyLimitBytes: runtime.config.server.bodyLimitBytes,
          logger: runtime.logger,
          ...(serving.only === undefined ? {} : { only: serving.only }),
        })
  const storeReady = async () => runtime.services.store.ping()
  const app = createRuntimeApp(runtime, {
    authEnabled,
    metrics,
    routes: [
      ...(options.routes ?? ALL_ROUTES),
      ...(dataPlane === undefined ? [] : createInferenceRoutes(dataPlane)),
    ],
    ...(options.ready === undefined ? {} : { ready: options.ready }),
    ...(dataPlane !== undefined && serving !== false && serving.readiness === true
      ? {
          ready: async () => {
            await (options.ready ?? storeReady)()
            await dataPlane.engine.checkReady()
          },
        }
      : {}),
  })
  const server = createAdaptorServer({
    fetch: app.fetch,
    // Node's default (5 min) would cut off large artifact uploads; slow headers are still bounded
    // by headersTimeout.
    serverOptions: { requestTimeout: 0 },
  }) as Server

  try {
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject)
      server.listen(options.port, options.host, () => {
        server.off('error', reject)
        resolve()
      })
    })
  } catch (error) {
    await dataPlane?.close()
    throw error
  }
  const { port } = server.address() as AddressInfo
  const url = formatUrl(options.host, port)
  runtime.logger.info({ url }, 'ballast server listening')

  let shuttingDown = false
  // A keep-alive connection whose last request ends during shutdown is idle from then on: close it
  // now instead of waiting for the keep-alive timeout.
  server.on('request', (_req, res) => {
    res.once('finish', () => {
      if (shuttingDown) setImmediate(() => server.closeIdleConnections())
    })
  })

  const shutdown = async () => {
    shuttingDown = true
    runtime.logger.info({ url }, 'ballast server shutting down')
    const stopped = new Promise<void>((resolve, reject) =>
      server.close((error) => (error ? reject(error) : resolve())),
    )
    server.closeIdleConnections()
    const force = setTimeout(() => {
      runtime.logger.warn(
        { timeoutMs: runtime.config.server.shutdownTimeoutMs },
        'requests still running at the shutdown deadline; closing their connections',
      )
      server.closeAllConnections()
    }, runtime.config.server.shutdownTimeoutMs)
    force.unref()
    try {
      await stopped
    } finally {
      clearTimeout(force)
      // Models and the prediction log go before the stores the log writes to.
      try {
        await dataPlane?.close()
      } finally {
        await runtime.close()
      }
    }
    runtime.logger.info({ url }, 'ballast server stopped')
  }
  let closing: Promise<void> | undefined
  return { url, dataPlane, close: () => (closing ??= shutdown()) }
}

/**
 * Calls `close` on the first SIGTERM or SIGINT. The handlers are removed then, so a second signal
 * ends the process at once (the usual way out of a shutdown that hangs). Returns a function that
 * removes the handlers.
 */
export function onShutdownSignals(close: () => Promise<void>): () => void {
  const signals = ['SIGTERM', 'SIGINT'] as const
  const remove = () => {
    for (const signal of signals) process.off(signal, handler)
  }
  const handler = () => {
    remove()
    close().catch((error: unknown) => {
      process.exitCode = 1
      // The logger may be closed by now; standard error always works.
      process.stderr.write(
        `ballast: shutdown failed: ${(error as Error)?.stack ?? String(error)}\n`,
      )
    })
  }
  for (const signal of signals) process.once(signal, handler)
  return remove
}
