import path from 'node:path'
import { type Command } from 'commander'
import { startServer } from '../http/server.js'
import { startBackground } from '../runtime/background.js'
import { openRuntime } from '../runtime/open-runtime.js'
import { cliLogger } from './client.js'
import { demoProgress } from './demo/demo-progress.js'
import { finishDemo, printDemoSummary } from './demo/demo-summary.js'
import { type DemoOptions, replayMonths, setUpChampion } from './demo/run-demo.js'
import { type CliIo, commandSettings, positiveInteger } from './global-options.js'
import { writeJson } from './output.js'

/**
 * `ballast demo`: the whole lifecycle on real data, on this machine's home, with nothing else
 * running — and a home that `ballast server` opens as it is afterwards.
 */
export function registerDemoCommand(program: Command, io: CliIo): void {
  program
    .command('demo')
    .description(
      'play the lifecycle on 2001 US flights: ingest, train, deploy, replay traffic, detect drift, retrain, promote, audit',
    )
    .option('--sample <n>', 'replay every n-th flight (default 10)', positiveInteger, 10)
    .option(
      '--window <n>',
      'predictions per monitor window (default 10000)',
      positiveInteger,
      10_000,
    )
    .option(
      '--batch <n>',
      'records per request to the endpoint (default 500)',
      positiveInteger,
      500,
    )
    .action(
      async (options: { sample: number; window: number; batch: number }, command: Command) => {
        // Short intervals: the demo's background work should follow the traffic closely.
        const { config, json } = commandSettings(command, io, {
          'server.port': 0,
          'worker.pollMs': 200,
          'monitoring.checkIntervalMs': 1_000,
          'orchestration.triggerIntervalMs': 1_000,
          'serving.syncIntervalMs': 250,
          'log.level': 'warn',
        })
        const runtime = await openRuntime(config, { logger: cliLogger(config, io, 'warn') })
        const server = await startServer(runtime, { host: '127.0.0.1', port: 0 })
        const background = await startBackground(runtime, { worker: true })
        const controller = new AbortController()
        const onAbort = () => controller.abort()
        io.signal?.addEventListener('abort', onAbort, { once: true })
        const progress = demoProgress(io)
        const demoOptions: DemoOptions = {
          sample: options.sample,
          window: options.window,
          batchSize: options.batch,
        }
        const dataDir = path.join(config.home, 'demo')
        try {
          const ctx = {
            runtime,
            baseUrl: server.url,
            progress,
            options: demoOptions,
            signal: controller.signal,
          }
          const record = await setUpChampion(ctx, dataDir)
          await replayMonths(ctx, dataDir, record)
          const summary = await finishDemo(ctx, record, dataDir)
          if (json) writeJson(io, summary)
          else printDemoSummary(io, summary, config.home)
        } finally {
          io.signal?.removeEventListener('abort', onAbort)
          await background.stop()
          await server.close()
        }
      },
    )
}
