import type { ListRolloutsResponse, RolloutWire } from '@ballast/contracts'
import type { Command } from 'commander'
import { withClient } from './client.js'
import { type CliIo, commandSettings, positiveInteger } from './global-options.js'
import { formatTime, writeJson, writeTable } from './output.js'

/** `ballast rollouts …`: what deploy steps rolled out, and why each was promoted or rolled back. */

const ROLLOUTS_API = '/api/v1/rollouts'

function figure(r: RolloutWire, key: string): string | undefined {
  const v = r.figures[key]
  return typeof v === 'number' ? String(Number(v.toFixed(4))) : undefined
}

export function registerRolloutsCommand(program: Command, io: CliIo): Command {
  const rollouts = program
    .command('rollouts')
    .description('model versions rolled out by pipelines: canaries promoted or rolled back')

  rollouts
    .command('list')
    .description('rollouts, newest first')
    .option('--deployment <name>', 'only rollouts to this deployment')
    .option('--limit <n>', 'at most this many (default 100)', positiveInteger)
    .action(async (options: { deployment?: string; limit?: number }, command: Command) => {
      const { config, json } = commandSettings(command, io)
      await withClient(config, io, async ({ ballast }) => {
        const result = await ballast.request<ListRolloutsResponse>('GET', ROLLOUTS_API, {
          deployment: options.deployment,
          limit: options.limit,
        })
        if (json) return writeJson(io, result)
        writeTable(
          io,
          [
            'ID',
            'DEPLOYMENT',
            'MODEL',
            'FROM',
            'CANARY',
            'STATUS',
            'ERRORS',
            'P99 MS',
            'STARTED',
            'REASONS',
          ],
          result.rollouts.map((r) => [
            r.id,
            r.deployment,
            `${r.model}/${r.version}`,
            r.from_version ?? undefined,
            r.percent === null ? undefined : `${r.percent}%`,
            r.status,
            figure(r, 'canary_error_rate'),
            figure(r, 'canary_p99_ms'),
            formatTime(r.started_at),
            r.reasons.join('; '),
          ]),
          'no rollouts',
        )
      })
    })
  return rollouts
}
