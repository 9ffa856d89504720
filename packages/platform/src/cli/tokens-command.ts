import type { Command } from 'commander'
import { ROLES } from '../governance/actor.js'
import { withClient } from './client.js'
import { type CliIo, commandSettings } from './global-options.js'
import { formatTime, writeJson, writeTable } from './output.js'

/** A token as the tokens API lists it; the secret is never part of it. */
interface TokenWire {
  token_id: string
  name: string
  role: string
  created_at: number
  last_used_at?: number | null
  revoked_at?: number | null
}

interface CreatedTokenWire {
  token: string
  token_id: string
  name: string
  role: string
  created_at: number
}

const TOKENS_API = '/api/v1/tokens'

export function registerTokensCommand(program: Command, io: CliIo): void {
  const tokens = program
    .command('tokens')
    .description('create, list and revoke access tokens (admin)')

  tokens
    .command('create')
    .description('create a token; its secret is printed once')
    .requiredOption('--name <name>', 'token name, shown as the author of changes')
    .requiredOption('--role <role>', `one of ${ROLES.join(', ')}`)
    .action(async (options: { name: string; role: string }, command: Command) => {
      const { config, json } = commandSettings(command, io)
      await withClient(config, io, async ({ ballast }) => {
        const created = await ballast.request<CreatedTokenWire>('POST', TOKENS_API, {
          name: options.name,
          role: options.role,
        })
        if (json) return writeJson(io, created)
        io.stdout.write(
          `created token '${created.name}' with role ${created.role}\n` +
            `${created.token}\n` +
            'This secret will not be shown again: store it now.\n',
        )
      })
    })

  tokens
    .command('list')
    .description('list tokens, revoked ones included')
    .action(async (_options: unknown, command: Command) => {
      const { config, json } = commandSettings(command, io)
      await withClient(config, io, async ({ ballast }) => {
        const result = await ballast.request<{ tokens: TokenWire[] }>('GET', TOKENS_API)
        if (json) return writeJson(io, result)
        writeTable(
          io,
          ['NAME', 'ROLE', 'CREATED', 'LAST USED', 'REVOKED', 'ID'],
          result.tokens.map((t) => [
            t.name,
            t.role,
            formatTime(t.created_at),
            formatTime(t.last_used_at ?? undefined),
            formatTime(t.revoked_at ?? undefined),
            t.token_id,
          ]),
          'no tokens',
        )
      })
    })

  tokens
    .command('revoke')
    .description('revoke a token by name (or id); it stops working at once')
    .argument('<name>', 'token name or id')
    .action(async (name: string, _options: unknown, command: Command) => {
      const { config, json } = commandSettings(command, io)
      await withClient(config, io, async ({ ballast }) => {
        const result = await ballast.request<{ token: TokenWire }>(
          'DELETE',
          `${TOKENS_API}/${encodeURIComponent(name)}`,
        )
        if (json) return writeJson(io, result)
        io.stdout.write(`revoked token '${result.token.name}'\n`)
      })
    })
}
