import {
  type DeploymentEventsResponse,
  type DeploymentResponse,
  type DeploymentWire,
  type GetDeploymentResponse,
  InvalidParameterError,
  type ListDeploymentsResponse,
} from '@ballast/contracts'
import { type Command, InvalidArgumentError } from 'commander'
import { withClient } from './client.js'
import { type CliIo, commandSettings, positiveInteger } from './global-options.js'
import { formatFields, formatTable, formatTime, writeJson, writeTable } from './output.js'

/** `ballast deploy …`: the serving control plane, through /api/v1/deployments. */

const API = '/api/v1/deployments'

const path = (name: string, rest = '') => `${API}/${encodeURIComponent(name)}${rest}`

function target(d: DeploymentWire): string {
  return d.target.kind === 'alias'
    ? `${d.model}@${d.target.alias}`
    : `${d.model}/${d.target.version}`
}

const canaryText = (d: DeploymentWire) =>
  d.canary === null ? undefined : `v${d.canary.version} ${d.canary.percent}%`
const shadowText = (d: DeploymentWire) => (d.shadow === null ? undefined : `v${d.shadow.version}`)
const versionText = (d: DeploymentWire | null) => (d === null ? '-' : `v${d.version}`)

/** A percent in (0, 100); the server checks the range too, this names the option. */
function percent(value: string): number {
  const n = Number(value)
  if (value.trim() === '' || !Number.isFinite(n)) {
    throw new InvalidArgumentError('expected a number of percent, e.g. 10 or 2.5')
  }
  return n
}

/** `--model MODEL/VERSION` (or a bare version number) as the canary and shadow routes take it. */
function versionBody(model: string | undefined, off: boolean | undefined, flag: string) {
  if (off === true && model !== undefined) {
    throw new InvalidParameterError(`give either --model or --off to '${flag}', not both`)
  }
  if (off !== true && model === undefined) {
    throw new InvalidParameterError(`'${flag}' needs --model MODEL/VERSION (or --off)`)
  }
  if (model === undefined) return undefined
  return /^\d+$/.test(model) ? { version: Number(model) } : { model }
}

async function change(
  io: CliIo,
  json: boolean,
  request: Promise<DeploymentResponse>,
  say: (d: DeploymentWire) => string,
): Promise<void> {
  const { deployment } = await request
  if (json) return writeJson(io, { deployment })
  io.stdout.write(`${say(deployment)}\n`)
}

function serves(d: DeploymentWire): string {
  const extra = [
    d.canary === null ? '' : `, canary v${d.canary.version} at ${d.canary.percent}%`,
    d.shadow === null ? '' : `, shadow v${d.shadow.version}`,
  ].join('')
  return `'${d.name}' serves ${d.model}/${d.version}${extra}`
}

const EVENT_HEADERS = ['TIME', 'ACTOR', 'ACTION', 'VERSION', 'REVISION', 'DETAIL']

function eventRows(events: GetDeploymentResponse['events']) {
  return events.map((e) => [
    formatTime(e.time),
    e.actor,
    e.action,
    `${versionText(e.before)} -> ${versionText(e.after)}`,
    e.revision,
    e.detail,
  ])
}

export function registerDeployCommand(program: Command, io: CliIo): void {
  const deploy = program
    .command('deploy')
    .description('deployments: which model version each endpoint serves, canary, shadow, rollback')

  deploy
    .command('create')
    .description('deploy a model version (MODEL/VERSION) or follow an alias (MODEL@ALIAS)')
    .argument('<name>', 'deployment name (the endpoint)')
    .requiredOption('--model <ref>', 'MODEL@ALIAS (follows the alias) or MODEL/VERSION (pinned)')
    .action(async (name: string, options: { model: string }, command: Command) => {
      const { config, json } = commandSettings(command, io)
      await withClient(config, io, async ({ ballast }) => {
        const created = await ballast.request<DeploymentResponse>('POST', API, {
          name,
          model: options.model,
        })
        if (json) return writeJson(io, created)
        const d = created.deployment
        io.stdout.write(
          `created deployment '${d.name}': ${target(d)}, serving version ${d.version}\n`,
        )
      })
    })

  deploy
    .command('list')
    .description('list deployments')
    .action(async (_options: unknown, command: Command) => {
      const { config, json } = commandSettings(command, io)
      await withClient(config, io, async ({ ballast }) => {
        const result = await ballast.request<ListDeploymentsResponse>('GET', API)
        if (json) return writeJson(io, result)
        writeTable(
          io,
          ['NAME', 'TARGET', 'VERSION', 'CANARY', 'SHADOW', 'PREVIOUS', 'UPDATED'],
          result.deployments.map((d) => [
            d.name,
            target(d),
            d.version,
            canaryText(d),
            shadowText(d),
            d.previous_version,
            formatTime(d.updated_at),
          ]),
          'no deployments',
        )
      })
    })

  deploy
    .command('show')
    .description('show a deployment and its latest changes')
    .argument('<name>', 'deployment name')
    .action(async (name: string, _options: unknown, command: Command) => {
      const { config, json } = commandSettings(command, io)
      await withClient(config, io, async ({ ballast }) => {
        const result = await ballast.request<GetDeploymentResponse>('GET', path(name))
        if (json) return writeJson(io, result)
        const d = result.deployment
        io.stdout.write(
          formatFields([
            ['name', d.name],
            ['target', target(d)],
            ['version', d.version],
            ['canary', canaryText(d)],
            ['shadow', shadowText(d)],
            ['previous', d.previous_version],
            ['revision', d.revision],
            ['created', `${formatTime(d.created_at)} by ${d.created_by}`],
            ['updated', formatTime(d.updated_at)],
          ]),
        )
        io.stdout.write(`\n${formatTable(EVENT_HEADERS, eventRows(result.events))}`)
      })
    })

  deploy
    .command('delete')
    .description('delete a deployment (its history is kept)')
    .argument('<name>', 'deployment name')
    .action(async (name: string, _options: unknown, command: Command) => {
      const { config, json } = commandSettings(command, io)
      await withClient(config, io, ({ ballast }) =>
        change(io, json, ballast.request('DELETE', path(name)), (d) => {
          return `deleted deployment '${d.name}'`
        }),
      )
    })

  deploy
    .command('canary')
    .description('send a share of the requests to another version of the model')
    .argument('<name>', 'deployment name')
    .option('--model <ref>', 'MODEL/VERSION (or the version number)')
    .option('--percent <p>', 'share of requests, more than 0 and less than 100', percent)
    .option('--off', 'end the canary')
    .action(
      async (
        name: string,
        options: { model?: string; percent?: number; off?: boolean },
        command: Command,
      ) => {
        const { config, json } = commandSettings(command, io)
        const body = versionBody(options.model, options.off, 'deploy canary')
        if (body !== undefined && options.percent === undefined) {
          throw new InvalidParameterError("'deploy canary' needs --percent P")
        }
        await withClient(config, io, ({ ballast }) => {
          const request =
            body === undefined
              ? ballast.request<DeploymentResponse>('DELETE', path(name, '/canary'))
              : ballast.request<DeploymentResponse>('POST', path(name, '/canary'), {
                  ...body,
                  percent: options.percent,
                })
          return change(io, json, request, serves)
        })
      },
    )

  deploy
    .command('shadow')
    .description('send a copy of every request to another version; its answers are only logged')
    .argument('<name>', 'deployment name')
    .option('--model <ref>', 'MODEL/VERSION (or the version number)')
    .option('--off', 'end the shadow')
    .action(async (name: string, options: { model?: string; off?: boolean }, command: Command) => {
      const { config, json } = commandSettings(command, io)
      const body = versionBody(options.model, options.off, 'deploy shadow')
      await withClient(config, io, ({ ballast }) => {
        const request =
          body === undefined
            ? ballast.request<DeploymentResponse>('DELETE', path(name, '/shadow'))
            : ballast.request<DeploymentResponse>('POST', path(name, '/shadow'), body)
        return change(io, json, request, serves)
      })
    })

  deploy
    .command('promote')
    .description('make the canary the primary version')
    .argument('<name>', 'deployment name')
    .action(async (name: string, _options: unknown, command: Command) => {
      const { config, json } = commandSettings(command, io)
      await withClient(config, io, ({ ballast }) =>
        change(io, json, ballast.request('POST', path(name, '/promote')), (d) => {
          return `promoted: ${serves(d)} (previous v${d.previous_version})`
        }),
      )
    })

  deploy
    .command('rollback')
    .description('serve the previous version again')
    .argument('<name>', 'deployment name')
    .action(async (name: string, _options: unknown, command: Command) => {
      const { config, json } = commandSettings(command, io)
      await withClient(config, io, ({ ballast }) =>
        change(io, json, ballast.request('POST', path(name, '/rollback')), (d) => {
          return `rolled back: ${serves(d)} (previous v${d.previous_version})`
        }),
      )
    })

  deploy
    .command('history')
    .description("a deployment's changes, newest first: who, when, from which version to which")
    .argument('<name>', 'deployment name')
    .option('--limit <n>', 'most changes shown (default 100, at most 1000)', positiveInteger)
    .action(async (name: string, options: { limit?: number }, command: Command) => {
      const { config, json } = commandSettings(command, io)
      await withClient(config, io, async ({ ballast }) => {
        const result = await ballast.request<DeploymentEventsResponse>(
          'GET',
          path(name, '/events'),
          options.limit === undefined ? undefined : { limit: options.limit },
        )
        if (json) return writeJson(io, result)
        writeTable(io, EVENT_HEADERS, eventRows(result.events), 'no changes')
      })
    })
}
