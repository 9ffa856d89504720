import { InvalidParameterError } from '@ballast/contracts'
import { type Command, InvalidArgumentError } from 'commander'
import { defaultJobHandlers } from '../runtime/job-handlers.js'
import { openRuntime } from '../runtime/open-runtime.js'
import { startBackground } from '../runtime/background.js'
import { cliLogger } from './client.js'
import { type CliIo, commandSettings } from './global-options.js'
import { shutdownRequested } from './server-command.js'

function kindList(value: string): string[] {
  const kinds = value
    .split(',')
    .map((k) => k.trim())
    .filter((k) => k !== '')
  if (kinds.length === 0) throw new InvalidArgumentError('expected job kinds separated by commas')
  return kinds
}

export function registerWorkerCommand(program: Command, io: CliIo): void {
  program
    .command('worker')
    .description(
      'run jobs from the store until SIGINT or SIGTERM (a running job finishes or is re-queued)',
    )
    .option('--kinds <a,b>', 'only these job kinds (default: every kind)', kindList)
    .action(async (options: { kinds?: string[] }, command: Command) => {
      const { config } = commandSettings(command, io)
      if (config.url !== undefined) {
        throw new InvalidParameterError(
          'ballast worker runs on the store itself: give --db (and --artifacts), not --url',
        )
      }
      const handlers = defaultJobHandlers()
      const kinds = options.kinds ?? Object.keys(handlers)
      const unknown = kinds.filter((k) => !Object.hasOwn(handlers, k))
      if (unknown.length > 0) {
        throw new InvalidParameterError(
          `invalid --kinds: unknown job kind ${unknown.join(', ')} (known: ${Object.keys(handlers).join(', ') || 'none'})`,
        )
      }
      const runtime = await openRuntime(config, { logger: cliLogger(config, io) })
      try {
        const background = await startBackground(runtime, { worker: true, kinds })
        const worker = background.worker!
        io.stdout.write(
          `ballast worker ${worker.id} running ${kinds.length === 0 ? 'no job kinds' : kinds.join(', ')}\n` +
            `  metadata store: ${runtime.store.description}\n`,
        )
        await shutdownRequested(io)
        await background.stop()
      } finally {
        await runtime.close()
      }
    })
}
