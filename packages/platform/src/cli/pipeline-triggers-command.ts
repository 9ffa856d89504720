import { type FiringWire, type FiringsResponse, pipelineFiringsPath } from '@ballast/contracts'
import type { Command } from 'commander'
import { withClient } from './client.js'
import { type CliIo, commandSettings, positiveInteger } from './global-options.js'
import { formatTime, writeJson, writeTable } from './output.js'

/** What came of a firing, with the run it started or joined. */
function outcomeText(f: FiringWire): string {
  if (f.outcome === 'failed') return `failed: ${f.error ?? ''}`
  return f.run_id === null ? f.outcome : `${f.outcome} ${f.run_id}`
}

/** `ballast pipeline firings NAME`: each time a trigger fired the pipeline, and what came of it. */
export function registerPipelineTriggerCommands(pipeline: Command, io: CliIo): void {
  pipeline
    .command('firings')
    .description(
      "times the pipeline's triggers fired, newest first: started, merged (debounced), capped or failed",
    )
    .argument('<name>', 'pipeline name')
    .option('--limit <n>', 'at most N firings (default 100)', positiveInteger)
    .action(async (name: string, options: { limit?: number }, command: Command) => {
      const { config, json } = commandSettings(command, io)
      await withClient(config, io, async ({ ballast }) => {
        const result = await ballast.request<FiringsResponse>('GET', pipelineFiringsPath(name), {
          limit: options.limit,
        })
        if (json) return writeJson(io, result)
        writeTable(
          io,
          ['TIME', 'TRIGGER', 'KIND', 'REASON', 'OUTCOME'],
          result.firings.map((f) => [
            formatTime(f.time),
            f.trigger,
            f.kind,
            f.reason,
            outcomeText(f),
          ]),
          'no firings',
        )
      })
    })
}
