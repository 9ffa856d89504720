import type { MonitorEventWire } from '@ballast/contracts'
import type { Command } from 'commander'
import { withClient } from './client.js'
import { type CliIo, commandSettings, positiveInteger } from './global-options.js'
import { monitorsApi } from './monitors-api.js'
import { formatTime, writeJson, writeTable } from './output.js'

/** `ballast monitor events|webhook|deliveries`: what monitors raised and where it was sent. */

type Payload = Record<string, unknown>

/** The gist of an event's payload, on one line. */
export function eventDetail(e: MonitorEventWire): string {
  const p = e.payload
  if (e.type === 'drift_detected') {
    const columns = ((p.drifted_columns ?? []) as Payload[]).map((c) => String(c.column))
    const prediction = (p.prediction_drift as Payload | null)?.drift_detected === true
    return [
      columns.length === 0 ? '' : `drifted: ${columns.join(', ')}`,
      prediction ? 'predictions drifted' : '',
    ]
      .filter((s) => s !== '')
      .join('; ')
  }
  if (e.type === 'data_quality_failed') {
    return ((p.failed ?? []) as Payload[])
      .map((c) => `${String(c.column)} ${String(c.check)} ${Number(c.value).toFixed(3)}`)
      .join('; ')
  }
  return ((p.reasons ?? []) as string[]).join('; ')
}

export function registerMonitorAlertCommands(monitor: Command, io: CliIo): void {
  monitor
    .command('events')
    .description("events monitors raised, newest first (one monitor's, or every monitor's)")
    .argument('[name]', 'monitor name')
    .option('--deployment <name>', "only events about this deployment's monitors")
    .option('--type <type>', 'drift_detected, data_quality_failed or performance_degraded')
    .option('--limit <n>', 'at most N events (default 100)', positiveInteger)
    .action(
      async (
        name: string | undefined,
        options: { deployment?: string; type?: string; limit?: number },
        command: Command,
      ) => {
        const { config, json } = commandSettings(command, io)
        await withClient(config, io, async ({ ballast }) => {
          const result = await monitorsApi(ballast).events({ monitor: name, ...options })
          if (json) return writeJson(io, result)
          writeTable(
            io,
            ['ID', 'TIME', 'MONITOR', 'DEPLOYMENT', 'TYPE', 'WINDOW', 'DETAIL'],
            result.events.map((e) => [
              e.id,
              formatTime(e.time),
              e.monitor,
              e.deployment,
              e.type,
              e.window,
              eventDetail(e),
            ]),
            'no events',
          )
        })
      },
    )

  const webhook = monitor.command('webhook').description("where a monitor's events are posted")

  webhook
    .command('add')
    .description("post the monitor's events to a URL, signed with a secret (shown once)")
    .argument('<name>', 'monitor name')
    .requiredOption('--url <url>', 'http(s) URL that receives the events')
    .option('--secret <secret>', 'signing secret, 16–256 characters (default: generated)')
    .action(async (name: string, options: { url: string; secret?: string }, command: Command) => {
      const { config, json } = commandSettings(command, io)
      await withClient(config, io, async ({ ballast }) => {
        const added = await monitorsApi(ballast).addWebhook(name, options)
        if (json) return writeJson(io, added)
        io.stdout.write(
          `added webhook ${added.webhook.id} to monitor '${name}': ${added.webhook.url}\n` +
            `secret (shown only now): ${added.secret}\n`,
        )
      })
    })

  webhook
    .command('list')
    .description("a monitor's webhooks")
    .argument('<name>', 'monitor name')
    .action(async (name: string, _options: unknown, command: Command) => {
      const { config, json } = commandSettings(command, io)
      await withClient(config, io, async ({ ballast }) => {
        const result = await monitorsApi(ballast).webhooks(name)
        if (json) return writeJson(io, result)
        writeTable(
          io,
          ['ID', 'URL', 'CREATED', 'BY'],
          result.webhooks.map((w) => [w.id, w.url, formatTime(w.created_at), w.created_by]),
          'no webhooks',
        )
      })
    })

  webhook
    .command('remove')
    .description('stop posting to a webhook (its pending deliveries fail)')
    .argument('<name>', 'monitor name')
    .argument('<id>', 'webhook id')
    .action(async (name: string, id: string, _options: unknown, command: Command) => {
      const { config, json } = commandSettings(command, io)
      await withClient(config, io, async ({ ballast }) => {
        const result = await monitorsApi(ballast).removeWebhook(name, id)
        if (json) return writeJson(io, result)
        io.stdout.write(`removed webhook ${result.webhook.id} from monitor '${name}'\n`)
      })
    })

  monitor
    .command('deliveries')
    .description("deliveries of a monitor's events to its webhooks, newest first")
    .argument('<name>', 'monitor name')
    .option('--limit <n>', 'at most N deliveries (default 100)', positiveInteger)
    .action(async (name: string, options: { limit?: number }, command: Command) => {
      const { config, json } = commandSettings(command, io)
      await withClient(config, io, async ({ ballast }) => {
        const result = await monitorsApi(ballast).deliveries(name, options)
        if (json) return writeJson(io, result)
        writeTable(
          io,
          [
            'ID',
            'EVENT',
            'WEBHOOK',
            'STATUS',
            'ATTEMPTS',
            'LAST STATUS',
            'LAST ERROR',
            'NEXT',
            'DELIVERED',
          ],
          result.deliveries.map((x) => [
            x.id,
            x.event_id,
            x.webhook_id,
            x.status,
            x.attempts,
            x.last_status,
            x.last_error,
            x.status === 'pending' ? formatTime(x.next_attempt_at) : undefined,
            x.delivered_at === null ? undefined : formatTime(x.delivered_at),
          ]),
          'no deliveries',
        )
      })
    })
}
