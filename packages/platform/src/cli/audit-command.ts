import {
  AppError,
  type AuditEntryWire,
  type AuditLogResponse,
  type AuditVerifyResponse,
  ERROR_CODES,
} from '@ballast/contracts'
import type { Command } from 'commander'
import { withClient } from './client.js'
import { ExitStatus } from './exit-status.js'
import { type CliIo, commandSettings, positiveInteger } from './global-options.js'
import { formatTime, writeJson, writeTable } from './output.js'

/** `ballast audit …`: the hash-chained record of every change, through /api/v1/audit. */

const API = '/api/v1/audit'
const DEFAULT_LIMIT = 50

/** Enough of a digest to tell states apart by eye; `--json` has them whole. */
const short = (digest: string | null) => (digest === null ? '-' : digest.slice(0, 12))

function logRows(entries: readonly AuditEntryWire[]) {
  return entries.map((e) => [
    e.seq,
    formatTime(e.time),
    e.actor,
    e.action,
    e.target,
    `${short(e.before_digest)} -> ${short(e.after_digest)}`,
  ])
}

interface LogOptions {
  target?: string
  actor?: string
  action?: string
  limit: number
}

export function registerAuditCommand(program: Command, io: CliIo): void {
  const audit = program
    .command('audit')
    .description('the audit trail: who changed what, hash-chained so tampering shows')

  audit
    .command('log')
    .description('list audit entries, newest first')
    .option('--target <target>', 'only this target, e.g. model:NAME (end with * for a prefix)')
    .option('--actor <actor>', 'only changes by this actor (a token name or system:…)')
    .option('--action <action>', 'only this action, e.g. deployment.promote')
    .option('--limit <n>', 'at most this many entries', positiveInteger, DEFAULT_LIMIT)
    .action(async (options: LogOptions, command: Command) => {
      const { config, json } = commandSettings(command, io)
      const query = new URLSearchParams({ limit: String(options.limit) })
      if (options.target !== undefined) query.set('target', options.target)
      if (options.actor !== undefined) query.set('actor', options.actor)
      if (options.action !== undefined) query.set('action', options.action)
      await withClient(config, io, async ({ ballast }) => {
        const result = await ballast.request<AuditLogResponse>('GET', `${API}?${query}`)
        if (json) return writeJson(io, result)
        writeTable(
          io,
          ['SEQ', 'TIME', 'ACTOR', 'ACTION', 'TARGET', 'BEFORE -> AFTER'],
          logRows(result.entries),
          'no audit entries',
        )
      })
    })

  audit
    .command('verify')
    .description(
      'recompute the hash chain: proves the log complete and unaltered, or names the first bad entry',
    )
    .action(async (_options: unknown, command: Command) => {
      const { config, json } = commandSettings(command, io)
      await withClient(config, io, async ({ ballast }) => {
        const result = await ballast.request<AuditVerifyResponse>('GET', `${API}/verify`)
        if (json) {
          writeJson(io, result)
          if (!result.ok) throw new ExitStatus(ERROR_CODES.AUDIT_CHAIN_BROKEN.exitCode)
          return
        }
        if (result.ok) {
          io.stdout.write(`audit log verified: ${result.entries} entries, head ${result.head}\n`)
          return
        }
        const problem = result.problem
        const n = result.entries
        throw new AppError(
          'AUDIT_CHAIN_BROKEN',
          `audit log broken at entry ${problem?.seq ?? n + 1} (${problem?.kind ?? 'unknown'}): ` +
            `${problem?.message ?? 'no detail'}; the ${n} ${n === 1 ? 'entry' : 'entries'} ` +
            'before it verified',
        )
      })
    })
}
