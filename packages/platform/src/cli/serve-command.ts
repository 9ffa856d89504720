import type { Command } from 'commander'
import { startServer } from '../http/server.js'
import { HEALTH_ROUTES } from '../http/routes/health-routes.js'
import { openRuntime } from '../runtime/open-runtime.js'
import { cliLogger } from './client.js'
import { type CliIo, commandSettings } from './global-options.js'
import { port, shutdownRequested } from './server-command.js'

/**
 * `ballast serve`: a data-plane replica. Only health, metrics and inference routes, for one
 * deployment, against the configured store; it follows the deployment's changes on its own, so
 * any number of replicas can run behind a load balancer.
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
    .action(
      async (options: { deployment: string; host?: string; port?: number }, command: Command) => {
        const { config } = commandSettings(command, io, {
          'server.host': options.host,
          'server.port': options.port,
        })
        const runtime = await openRuntime(config, { logger: cliLogger(config, io) })
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
        io.stdout.write(
          `ballast serve listening on ${server.url}\n` +
            `  deployment: ${options.deployment}\n` +
            `  metadata store: ${runtime.store.description}\n` +
            `  auth: ${config.auth.enabled ? 'on (tokens required)' : 'off (loopback only)'}\n`,
        )
        await shutdownRequested(io)
        // Lets predictions in flight finish, flushes the prediction log, then closes the stores.
        await server.close()
      },
    )
}
