import { Ballast } from '@ballast/sdk'
import type { Logger } from 'pino'
import type { Config } from '../config/index.js'
import { createLogger, type LogLevel } from '../observability/logger.js'
import { createRuntimeApp } from '../http/runtime-app.js'
import type { JobHandlers } from '../runtime/job-handlers.js'
import { openRuntime, type Runtime } from '../runtime/open-runtime.js'
import type { CliStreams } from './output.js'

/** The SDK, connected either to a server (`--url`) or straight to the store. */
export interface CliClient {
  readonly ballast: Ballast
  /** `remote` over HTTP to `config.url`; `local` on the store and artifacts of this machine. */
  readonly mode: 'remote' | 'local'
  /** `local` only: the runtime behind the in-process app, for running jobs in this process. */
  readonly runtime?: Runtime
  /** Job handlers of a worker started in this process (default: every built-in kind). */
  readonly handlers?: () => JobHandlers
  close(): Promise<void>
}

// The in-process app has no host; the SDK still needs a URL to build requests from.
const IN_PROCESS_URL = 'http://ballast.local'

/** A command's own log lines are noise unless something goes wrong or debug was asked for. */
function cliLogLevel(configured: LogLevel): LogLevel {
  return configured === 'info' ? 'warn' : configured
}

export function cliLogger(config: Config, streams: CliStreams, level?: LogLevel): Logger {
  return createLogger({
    level: level ?? config.log.level,
    destination: { write: (line: string) => void streams.stderr.write(line) },
  })
}

/**
 * Every command goes through the HTTP API, so that it answers the same with or without a server.
 * Without `config.url`, the API is the in-process app over the store, with auth off: whoever can
 * open the files directly is the local administrator anyway.
 */
export async function openClient(config: Config, streams: CliStreams): Promise<CliClient> {
  if (config.url !== undefined) {
    const ballast = new Ballast({
      url: config.url,
      ...(config.token === undefined ? {} : { token: config.token }),
    })
    return { ballast, mode: 'remote', close: async () => {} }
  }
  const runtime = await openRuntime(config, {
    logger: cliLogger(config, streams, cliLogLevel(config.log.level)),
  })
  const app = createRuntimeApp(runtime, { authEnabled: false })
  const ballast = new Ballast({
    url: IN_PROCESS_URL,
    fetch: (input, init) => app.request(input, init),
    // No network in between: a failure would fail the same way again.
    retries: 0,
  })
  return { ballast, mode: 'local', runtime, close: () => runtime.close() }
}

/** Opens the client, runs `work`, and closes the client whatever happens. */
export async function withClient<T>(
  config: Config,
  streams: CliStreams,
  work: (client: CliClient) => Promise<T>,
): Promise<T> {
  const client = await openClient(config, streams)
  try {
    return await work(client)
  } finally {
    await client.close()
  }
}
