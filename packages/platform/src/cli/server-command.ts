import { type Command, InvalidArgumentError } from 'commander'
import { onShutdownSignals, startServer } from '../http/server.js'
import { type Background, startBackground } from '../runtime/background.js'
import { openRuntime } from '../runtime/open-runtime.js'
import { cliLogger } from './client.js'
import { type CliIo, commandSettings } from './global-options.js'

/** Commander parser of `--port`. */
/** The server's URL as a program on this machine reaches it: a wildcard address means loopback. */
function reachableUrl(url: string): string {
  return url.replace('//0.0.0.0:', '//127.0.0.1:').replace('//[::]:', '//[::1]:')
}

export function port(value: string): number {
  const n = Number(value)
  if (!/^\d+$/.test(value) || n > 65535)
    throw new InvalidArgumentError('expected a port number from 0 to 65535')
  return n
}

/** Resolves on the first SIGINT/SIGTERM, or when the caller's signal aborts. */
export function shutdownRequested(io: CliIo): Promise<void> {
  return new Promise<void>((resolve) => {
    const removeSignals = onShutdownSignals(async () => {
      io.signal?.removeEventListener('abort', onAbort)
      resolve()
    })
    const onAbort = () => {
      removeSignals()
      resolve()
    }
    if (io.signal?.aborted) onAbort()
    else io.signal?.addEventListener('abort', onAbort, { once: true })
  })
}

export function registerServerCommand(program: Command, io: CliIo): void {
  program
    .command('server')
    .description('serve the Ballast API until SIGINT or SIGTERM')
    .option('--host <host>', 'address to listen on (BALLAST_HOST; default 127.0.0.1)')
    .option(
      '--port <port>',
      'port to listen on, 0 for any free port (BALLAST_PORT; default 5000)',
      port,
    )
    .action(async (options: { host?: string; port?: number }, command: Command) => {
      const { config } = commandSettings(command, io, {
        'server.host': options.host,
        'server.port': options.port,
      })
      const runtime = await openRuntime(config, { logger: cliLogger(config, io) })
      let server: Awaited<ReturnType<typeof startServer>>
      try {
        server = await startServer(runtime, { host: config.server.host, port: config.server.port })
      } catch (error) {
        await runtime.close()
        throw error
      }
      // The embedded worker: jobs run on a laptop with nothing else started.
      let background: Background
      try {
        background = await startBackground(runtime, {
          worker: config.worker.embedded,
          trackingUri: reachableUrl(server.url),
        })
      } catch (error) {
        await server.close()
        throw error
      }
      io.stdout.write(
        `ballast server listening on ${server.url}\n` +
          `  metadata store: ${runtime.store.description}\n` +
          `  artifact store: ${runtime.artifacts.description}\n` +
          `  auth: ${config.auth.enabled ? 'on (tokens required)' : 'off (loopback only)'}\n`,
      )
      await shutdownRequested(io)
      // Its running job finishes or goes back to the queue before the stores close.
      await background.stop()
      // Lets requests in flight finish, then closes the stores.
      await server.close()
    })
}
