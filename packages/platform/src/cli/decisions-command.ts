import type { DecisionResponse, DecisionWire, ListDecisionsResponse } from '@ballast/contracts'
import type { Command } from 'commander'
import { withClient } from './client.js'
import { type CliIo, commandSettings, positiveInteger } from './global-options.js'
import { formatFields, formatTable, formatTime, writeJson, writeTable } from './output.js'

/** `ballast decisions …`: promotion decisions, through /api/v1/decisions. */

const API = '/api/v1/decisions'

const champion = (d: DecisionWire) =>
  d.champion_version === null ? 'none' : `${d.model}/${d.champion_version}`

const verdict = (passed: boolean | null) =>
  passed === null ? 'pending' : passed ? 'passed' : 'failed'

/** One decision: who decided what, then the rules with their reasons. */
function showDecision(io: CliIo, d: DecisionWire): void {
  io.stdout.write(
    formatFields([
      ['decision', d.id],
      ['model', d.model],
      ['challenger', `${d.model}/${d.challenger_version}`],
      ['champion', champion(d)],
      ['status', d.status],
      ['pipeline run', d.pipeline_run],
      ['decided', `${formatTime(d.decided_at)} by ${d.decided_by}`],
      [
        'approved',
        d.approved_by === null
          ? undefined
          : `${formatTime(d.approved_at ?? undefined)} by ${d.approved_by}`,
      ],
    ]),
  )
  io.stdout.write(
    `\n${formatTable(
      ['RULE', 'RESULT', 'REASON'],
      d.rules.map((r) => [r.rule, verdict(r.passed), r.reason]),
    )}`,
  )
}

export function registerDecisionsCommand(program: Command, io: CliIo): void {
  const decisions = program
    .command('decisions')
    .description('promotion decisions: challengers judged against champions, rule by rule')

  decisions
    .command('list')
    .description('list decisions, newest first')
    .option('--model <name>', 'only the decisions about this registered model')
    .option('--limit <n>', 'most decisions shown (default 100, at most 1000)', positiveInteger)
    .action(async (options: { model?: string; limit?: number }, command: Command) => {
      const { config, json } = commandSettings(command, io)
      const query = new URLSearchParams()
      if (options.model !== undefined) query.set('model', options.model)
      if (options.limit !== undefined) query.set('limit', String(options.limit))
      const qs = query.size > 0 ? `?${query.toString()}` : ''
      await withClient(config, io, async ({ ballast }) => {
        const result = await ballast.request<ListDecisionsResponse>('GET', `${API}${qs}`)
        if (json) return writeJson(io, result)
        writeTable(
          io,
          ['ID', 'MODEL', 'CHALLENGER', 'CHAMPION', 'STATUS', 'DECIDED', 'BY'],
          result.decisions.map((d) => [
            d.id,
            d.model,
            d.challenger_version,
            d.champion_version ?? 'none',
            d.status,
            formatTime(d.decided_at),
            d.decided_by,
          ]),
          'no decisions',
        )
      })
    })

  decisions
    .command('show')
    .description('show a decision: the facts and each rule with its reason')
    .argument('<id>', 'decision id', positiveInteger)
    .action(async (id: number, _options: unknown, command: Command) => {
      const { config, json } = commandSettings(command, io)
      await withClient(config, io, async ({ ballast }) => {
        const result = await ballast.request<DecisionResponse>('GET', `${API}/${id}`)
        if (json) return writeJson(io, result)
        showDecision(io, result.decision)
      })
    })

  decisions
    .command('approve')
    .description('approve a decision waiting for approval (editor)')
    .argument('<id>', 'decision id', positiveInteger)
    .action(async (id: number, _options: unknown, command: Command) => {
      const { config, json } = commandSettings(command, io)
      await withClient(config, io, async ({ ballast }) => {
        const result = await ballast.request<DecisionResponse>('POST', `${API}/${id}/approve`)
        if (json) return writeJson(io, result)
        const d = result.decision
        io.stdout.write(
          `approved decision ${d.id}: ${d.model}/${d.challenger_version} is now ${d.status}\n`,
        )
      })
    })
}
