import type { AddressInfo } from 'node:net'
import type { Server } from 'node:http'
import { AppError } from '@ballast/contracts'
import { createAdaptorServer } from '@hono/node-server'
import { isLoopbackHost } from '../config/index.js'
import type { Runtime } from '../runtime/open-runtime.js'
import { createRuntimeApp, type RuntimeAppOptions } from './runtime-app.js'

export interface StartServerOptions extends RuntimeAppOptions {
  host: string
  /** 0 picks a free port; read it from `url`. */
  port: number
}

export interface RunningServer {
  /** `http://host:port`, with the port actually bound. */
  readonly url: string
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
  const app = createRuntimeApp(runtime, {
    authEnabled,
    ...(options.routes === undefined ? {} : { routes: options.routes }),
  })
  const server = createAdaptorServer({
    fetch: app.fetch,
    // Node's default (5 min) would cut off large artifact uploads; slow headers are still bounded
    // by headersTimeout.
    serverOptions: { requestTimeout: 0 },
  }) as Server

  await new Promise<void>((resolve, reject) => {
    server.once('error', reject)
    server.listen(options.port, options.host, () => {
      server.off('error', reject)
      resolve()
    })
  })
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
      await runtime.close()
    }
    runtime.logger.info({ url }, 'ballast server stopped')
  }
  let closing: Promise<void> | undefined
  return { url, close: () => (closing ??= shutdown()) }
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
