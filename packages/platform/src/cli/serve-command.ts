import type { Command } from 'commander'
import { startServer } from '../http/server.js'
import { HEALTH_ROUTES } from '../http/routes/health-routes.js'
import { openRuntime } from '../runtime/open-runtime.js'
import { cliLogger } from './client.js'
import { type CliIo, commandSettings } from './global-options.js'
import { port, shutdownRequested } from './server-command.js'
import {
  announceListening,
  isServeWorker,
  runServeWorkers,
  shutdownFromPrimary,
  workerCount,
} from './serve-workers.js'

/**
 * `ballast serve`: a data-plane replica. Only health, metrics and inference routes, for one
 * deployment, against the configured store; it follows the deployment's changes on its own, so
 * any number of replicas can run behind a load balancer. `--workers N` runs N of them behind one
 * port on this machine (see serve-workers.ts).
 */
export function registerServeCommand(program: Command, io: CliIo): void {
  program
    .command('serve')
    .description('answer predictions for one deployment until SIGINT or SIGTERM')
    .requiredOption('--deployment <name>', 'the deployment to serve')
    .option('--host <host>', 'address to listen on (BALLAST_HOST; default 127.0.0.1)')
    .option(
      '--port <port>',
      'port to listen on, 0 for any free port (BALLAST_PORT; default 5000)',
      port,
    )
    .option(
      '--workers <n>',
      'processes answering on the same port, one per core is a good start (default 1)',
      workerCount,
    )
    .action(
      async (
        options: { deployment: string; host?: string; port?: number; workers?: number },
        command: Command,
      ) => {
        const { config } = commandSettings(command, io, {
          'server.host': options.host,
          'server.port': options.port,
        })
        const worker = isServeWorker()
        const workers = worker ? 1 : (options.workers ?? 1)
        const runtime = await openRuntime(config, { logger: cliLogger(config, io) })
        const banner = (url: string) =>
          `ballast serve listening on ${url}\n` +
          `  deployment: ${options.deployment}\n` +
          (workers > 1 ? `  workers: ${workers}\n` : '') +
          `  metadata store: ${runtime.store.description}\n` +
          `  auth: ${config.auth.enabled ? 'on (tokens required)' : 'off (loopback only)'}\n`
        if (workers > 1) {
          try {
            // Fails fast (exit 3) on a name that is not deployed, before any worker starts.
            await runtime.services.serving.deployments.get(options.deployment)
          } finally {
            await runtime.close()
          }
          await runServeWorkers({
            count: workers,
            // Commander keeps the command line it parsed on the program, untyped.
            args: (command.parent as unknown as { rawArgs: string[] }).rawArgs,
            env: io.env,
            cwd: io.cwd,
            stopping: shutdownRequested(io),
            killAfterMs: config.server.shutdownTimeoutMs + 5_000,
            onListening: (url) => io.stdout.write(banner(url)),
            log: (line) => io.stderr.write(`${line}\n`),
          })
          return
        }
        let server: Awaited<ReturnType<typeof startServer>>
        try {
          // Fails fast (exit 3) on a name that is not deployed.
          const deployment = await runtime.services.serving.deployments.get(options.deployment)
          server = await startServer(runtime, {
            host: config.server.host,
            port: config.server.port,
            routes: HEALTH_ROUTES,
            serving: { only: [deployment.name], readiness: true },
          })
        } catch (error) {
          await runtime.close()
          throw error
        }
        if (worker) {
          announceListening(server.url)
          await shutdownFromPrimary()
        } else {
          io.stdout.write(banner(server.url))
          await shutdownRequested(io)
        }
        // Lets predictions in flight finish, flushes the prediction log, then closes the stores.
        await server.close()
        // A worker's channel to its primary would keep it alive.
        if (worker) process.disconnect?.()
      },
    )
}
