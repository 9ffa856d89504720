import { NotFoundError, isAppError } from '@ballast/contracts'
import type { Ballast, ExperimentRecord } from '@ballast/sdk'
import type { Command } from 'commander'
import { withClient } from './client.js'
import { type CliIo, collectKeyValue, commandSettings } from './global-options.js'
import { formatTime, writeJson, writeTable } from './output.js'

/**
 * An experiment given by name or by id. The name wins: an experiment named "12" is found as such
 * even when another has id 12.
 */
export async function resolveExperiment(ballast: Ballast, ref: string): Promise<ExperimentRecord> {
  try {
    return await ballast.getExperimentByName(ref)
  } catch (error) {
    if (!isAppError(error) || error.code !== 'RESOURCE_DOES_NOT_EXIST') throw error
  }
  try {
    return await ballast.getExperiment(ref)
  } catch (error) {
    const notAnId =
      isAppError(error) &&
      ['RESOURCE_DOES_NOT_EXIST', 'INVALID_PARAMETER_VALUE'].includes(error.code)
    if (!notAnId) throw error
  }
  throw new NotFoundError(`no experiment named '${ref}' or with id '${ref}'`)
}

export function registerExperimentsCommand(program: Command, io: CliIo): void {
  const experiments = program.command('experiments').description('list and create experiments')

  experiments
    .command('list')
    .description('list experiments (active ones unless --all)')
    .option('--all', 'include deleted experiments')
    .action(async (options: { all?: boolean }, command: Command) => {
      const { config, json } = commandSettings(command, io)
      await withClient(config, io, async ({ ballast }) => {
        const list = await ballast.listExperiments({
          viewType: options.all ? 'ALL' : 'ACTIVE_ONLY',
        })
        if (json) return writeJson(io, { experiments: list })
        writeTable(
          io,
          ['ID', 'NAME', 'STAGE', 'CREATED', 'ARTIFACT LOCATION'],
          list.map((e) => [
            e.experiment_id,
            e.name,
            e.lifecycle_stage,
            formatTime(e.creation_time),
            e.artifact_location,
          ]),
          'no experiments',
        )
      })
    })

  experiments
    .command('create')
    .description('create an experiment')
    .argument('<name>', 'experiment name')
    .option('--tag <key=value>', 'experiment tag (repeatable)', collectKeyValue)
    .action(
      async (
        name: string,
        options: { tag?: Array<{ key: string; value: string }> },
        command: Command,
      ) => {
        const { config, json } = commandSettings(command, io)
        await withClient(config, io, async ({ ballast }) => {
          const created = await ballast.request<{ experiment_id: string }>(
            'POST',
            '/api/2.0/mlflow/experiments/create',
            {
              name,
              ...(options.tag === undefined ? {} : { tags: options.tag }),
            },
          )
          if (json) return writeJson(io, created)
          io.stdout.write(`created experiment '${name}' with id ${created.experiment_id}\n`)
        })
      },
    )
}
