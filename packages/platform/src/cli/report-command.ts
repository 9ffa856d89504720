import type { OpsReportWire } from '@ballast/contracts'
import type { Command } from 'commander'
import { withClient } from './client.js'
import { type CliIo, commandSettings } from './global-options.js'
import { formatNumber, formatTable, formatTime, writeJson } from './output.js'

/** `ballast report ops`: how the delivery loop performs, through /api/v1/reports/ops. */

const hours = (ms: number | null) => (ms === null ? null : formatNumber(ms / 3_600_000))
const num = (value: number | null) => (value === null ? null : formatNumber(value))

function section(title: string, headers: string[], rows: (string | number | null | undefined)[][]) {
  return `${title}\n${rows.length === 0 ? '(none)\n' : formatTable(headers, rows)}\n`
}

export function formatOpsReport(r: OpsReportWire): string {
  return [
    section(
      `LEAD TIME (median ${hours(r.lead_time.median_ms) ?? '-'} h)`,
      ['DEPLOYMENT', 'MODEL', 'VERSION', 'RUN STARTED', 'PROMOTED', 'HOURS'],
      r.lead_time.versions.map((v) => [
        v.deployment,
        v.model,
        v.version,
        formatTime(v.run_started_at),
        formatTime(v.promoted_at),
        hours(v.lead_time_ms),
      ]),
    ),
    section(
      'DEPLOYMENTS PER WEEK',
      ['WEEK', 'DEPLOYMENTS'],
      r.deployments_per_week.map((w) => [w.week, w.deployments]),
    ),
    section(
      `ROLLBACKS (${r.rollbacks.count})`,
      ['DEPLOYMENT', 'TIME', 'FROM', 'TO', 'BY'],
      r.rollbacks.list.map((b) => [
        b.deployment,
        formatTime(b.time),
        b.from_version,
        b.to_version,
        b.actor,
      ]),
    ),
    section(
      'DRIFT TO PROMOTION',
      ['PIPELINE RUN', 'EVENT', 'DEPLOYMENT', 'VERSION', 'HOURS'],
      r.drift_to_promotion.map((d) => [
        d.pipeline_run,
        d.event_id,
        d.deployment,
        d.version,
        hours(d.time_ms),
      ]),
    ),
    section(
      'ACCURACY OVER TIME',
      ['DEPLOYMENT', 'MONITOR', 'WINDOW END', 'REALIZED', 'ESTIMATED'],
      r.accuracy_over_time.map((a) => [
        a.deployment,
        a.monitor,
        formatTime(a.window_end),
        num(a.realized),
        num(a.estimated),
      ]),
    ),
    section(
      'COST',
      ['DEPLOYMENT', 'VERSION', 'PREDICTIONS', 'CPU SECONDS', 'CPU S / 1000'],
      r.cost.map((c) => [
        c.deployment,
        c.version,
        c.predictions,
        num(c.cpu_seconds),
        num(c.cpu_seconds_per_1000),
      ]),
    ),
  ]
    .join('')
    .trimEnd()
    .concat('\n')
}

export function registerReportCommand(program: Command, io: CliIo): void {
  const report = program.command('report').description('reports across the platform')

  report
    .command('ops')
    .description(
      'lead time, deployments per week, rollbacks, drift to promotion, accuracy and cost',
    )
    .option('--since <time>', 'only what happened since (ISO 8601 or epoch ms)')
    .action(async (options: { since?: string }, command: Command) => {
      const { config, json } = commandSettings(command, io)
      const qs =
        options.since === undefined
          ? ''
          : `?${new URLSearchParams({ since: options.since }).toString()}`
      await withClient(config, io, async ({ ballast }) => {
        const result = await ballast.request<OpsReportWire>('GET', `/api/v1/reports/ops${qs}`)
        if (json) return writeJson(io, result)
        io.stdout.write(formatOpsReport(result))
      })
    })
}
