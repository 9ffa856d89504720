import type {
  MlflowModelVersion,
  MlflowRegisteredModel,
  MlflowSearchModelVersionsResponse,
  MlflowSearchRegisteredModelsResponse,
} from '@ballast/contracts'
import type { Ballast } from '@ballast/sdk'
import type { Command } from 'commander'
import { withClient } from './client.js'
import { type CliIo, commandSettings } from './global-options.js'
import { formatFields, formatTable, formatTime, writeJson, writeTable } from './output.js'
import {
  SHOW_LINEAGE_VERSIONS,
  formatLineageTable,
  registerModelFileCommands,
  versionLineages,
} from './models-files-command.js'

/** `ballast models …`: the model registry, through the MLflow-compatible registry API. */

const MLFLOW = '/api/2.0/mlflow'

/** A string literal of the registry's filter language. */
function quoted(value: string): string {
  return `'${value.replaceAll("'", "''")}'`
}

async function allModels(ballast: Ballast, filter?: string): Promise<MlflowRegisteredModel[]> {
  const out: MlflowRegisteredModel[] = []
  let pageToken: string | undefined
  do {
    const page = await ballast.request<MlflowSearchRegisteredModelsResponse>(
      'GET',
      `${MLFLOW}/registered-models/search`,
      { max_results: 1000, filter, page_token: pageToken },
    )
    out.push(...(page.registered_models ?? []))
    pageToken = page.next_page_token
  } while (pageToken !== undefined)
  return out
}

/** Every version of one model, newest first. */
async function allVersions(ballast: Ballast, name: string): Promise<MlflowModelVersion[]> {
  const out: MlflowModelVersion[] = []
  let pageToken: string | undefined
  do {
    const page = await ballast.request<MlflowSearchModelVersionsResponse>(
      'GET',
      `${MLFLOW}/model-versions/search`,
      {
        filter: `name = ${quoted(name)}`,
        order_by: ['version_number DESC'],
        page_token: pageToken,
      },
    )
    out.push(...(page.model_versions ?? []))
    pageToken = page.next_page_token
  } while (pageToken !== undefined)
  return out
}

function newestVersion(model: MlflowRegisteredModel): string | undefined {
  const numbers = (model.latest_versions ?? []).map((v) => Number(v.version))
  return numbers.length === 0 ? undefined : String(Math.max(...numbers))
}

function aliasText(model: MlflowRegisteredModel): string {
  return (model.aliases ?? []).map((a) => `${a.alias}=v${a.version}`).join(', ')
}

function versionRows(versions: readonly MlflowModelVersion[]) {
  return versions.map((v) => [
    v.version,
    v.current_stage,
    (v.aliases ?? []).join(', '),
    v.run_id,
    formatTime(v.creation_timestamp),
    v.source,
  ])
}

const VERSION_HEADERS = ['VERSION', 'STAGE', 'ALIASES', 'RUN', 'CREATED', 'SOURCE']

async function getModel(ballast: Ballast, name: string): Promise<MlflowRegisteredModel> {
  const res = await ballast.request<{ registered_model: MlflowRegisteredModel }>(
    'GET',
    `${MLFLOW}/registered-models/get`,
    { name },
  )
  return res.registered_model
}

/** Registers `models` and returns the group, for the commands that other parts add to it. */
export function registerModelsCommand(program: Command, io: CliIo): Command {
  const models = program.command('models').description('registered models, versions and aliases')

  models
    .command('list')
    .description('list registered models')
    .option('--filter <filter>', 'registry filter, e.g. "name LIKE \'fraud%\'"')
    .action(async (options: { filter?: string }, command: Command) => {
      const { config, json } = commandSettings(command, io)
      await withClient(config, io, async ({ ballast }) => {
        const list = await allModels(ballast, options.filter)
        if (json) return writeJson(io, { registered_models: list })
        writeTable(
          io,
          ['NAME', 'LATEST', 'ALIASES', 'UPDATED', 'DESCRIPTION'],
          list.map((m) => [
            m.name,
            newestVersion(m),
            aliasText(m),
            formatTime(m.last_updated_timestamp),
            m.description,
          ]),
          'no registered models',
        )
      })
    })

  models
    .command('show')
    .description('show a registered model with its versions, aliases and lineage')
    .argument('<name>', 'registered model name')
    .action(async (name: string, _options: unknown, command: Command) => {
      const { config, json } = commandSettings(command, io)
      await withClient(config, io, async ({ ballast }) => {
        const model = await getModel(ballast, name)
        const versions = await allVersions(ballast, name)
        const lineages = await versionLineages(
          ballast,
          name,
          versions.map((v) => v.version),
        )
        if (json) {
          return writeJson(io, {
            registered_model: model,
            model_versions: versions,
            lineage: Object.fromEntries(lineages.map((l) => [l.version, l.lineage])),
          })
        }
        io.stdout.write(
          formatFields([
            ['name', model.name],
            ['description', model.description],
            ['created', formatTime(model.creation_timestamp)],
            ['updated', formatTime(model.last_updated_timestamp)],
            ['aliases', aliasText(model)],
            ['tags', (model.tags ?? []).map((t) => `${t.key}=${t.value}`).join(', ')],
          ]),
        )
        io.stdout.write('\n')
        io.stdout.write(
          versions.length === 0
            ? 'no versions\n'
            : formatTable(VERSION_HEADERS, versionRows(versions)),
        )
        if (lineages.length > 0) {
          io.stdout.write('\n')
          io.stdout.write(formatLineageTable(lineages))
          if (versions.length > SHOW_LINEAGE_VERSIONS) {
            io.stdout.write(
              `(lineage of the ${SHOW_LINEAGE_VERSIONS} newest versions; ` +
                'GET /api/v1/models/NAME/versions/N/lineage for the others)\n',
            )
          }
        }
      })
    })

  models
    .command('versions')
    .description("list a registered model's versions, newest first")
    .argument('<name>', 'registered model name')
    .action(async (name: string, _options: unknown, command: Command) => {
      const { config, json } = commandSettings(command, io)
      await withClient(config, io, async ({ ballast }) => {
        // Fails with the registry's "not found" when the model does not exist.
        await getModel(ballast, name)
        const versions = await allVersions(ballast, name)
        if (json) return writeJson(io, { model_versions: versions })
        writeTable(io, VERSION_HEADERS, versionRows(versions), `model '${name}' has no versions`)
      })
    })

  const alias = models.command('alias').description("move or remove a model's aliases")

  alias
    .command('set')
    .description('point ALIAS at VERSION (atomically; with --expect-version, compare-and-set)')
    .argument('<name>', 'registered model name')
    .argument('<alias>', 'alias, e.g. champion')
    .argument('<version>', 'model version number')
    .option('--expect-version <v>', 'move only if the alias points at this version now')
    .action(
      async (
        name: string,
        aliasName: string,
        version: string,
        options: { expectVersion?: string },
        command: Command,
      ) => {
        const { config, json } = commandSettings(command, io)
        await withClient(config, io, async ({ ballast }) => {
          await ballast.request('POST', `${MLFLOW}/registered-models/alias`, {
            name,
            alias: aliasName,
            version,
            ...(options.expectVersion === undefined
              ? {}
              : { expected_version: options.expectVersion }),
          })
          if (json) return writeJson(io, { name, alias: aliasName, version })
          io.stdout.write(
            `alias '${aliasName}' of model '${name}' now points at version ${version}\n`,
          )
        })
      },
    )

  alias
    .command('delete')
    .description('remove an alias')
    .argument('<name>', 'registered model name')
    .argument('<alias>', 'alias')
    .action(async (name: string, aliasName: string, _options: unknown, command: Command) => {
      const { config, json } = commandSettings(command, io)
      await withClient(config, io, async ({ ballast }) => {
        await ballast.request('DELETE', `${MLFLOW}/registered-models/alias`, {
          name,
          alias: aliasName,
        })
        if (json) return writeJson(io, { name, alias: aliasName, deleted: true })
        io.stdout.write(`alias '${aliasName}' of model '${name}' deleted\n`)
      })
    })

  registerModelFileCommands(models, io)

  return models
}
