import {
  type CreateTrainingResponse,
  type TrainingRequestInput,
  TrainingResult,
  TRAINING_ALGORITHMS,
  TRAINING_TASKS,
} from '@ballast/contracts'
import { type Command, InvalidArgumentError, Option } from 'commander'
import { withClient } from './client.js'
import { type CliIo, commandSettings, positiveInteger } from './global-options.js'
import { followJob } from './job-wait.js'
import { writeJson, writeTable } from './output.js'

/** `k=v`, collected into a record; the key is named when a pair is malformed. */
function keyValue(flag: string) {
  return (value: string, previous: Record<string, string> = {}): Record<string, string> => {
    const at = value.indexOf('=')
    if (at <= 0) throw new InvalidArgumentError(`expected ${flag} NAME=VALUE, got '${value}'`)
    const key = value.slice(0, at)
    if (key in previous) throw new InvalidArgumentError(`${flag} ${key} is given twice`)
    return { ...previous, [key]: value.slice(at + 1) }
  }
}

function list(value: string): string[] {
  const items = value
    .split(',')
    .map((s) => s.trim())
    .filter((s) => s !== '')
  if (items.length === 0)
    throw new InvalidArgumentError('expected a comma-separated list of columns')
  return items
}

interface TrainOptions {
  dataset: string
  target: string
  task: (typeof TRAINING_TASKS)[number]
  algo: (typeof TRAINING_ALGORITHMS)[number]
  param?: Record<string, string>
  features?: string[]
  splitBy?: string
  testAfter?: string
  search?: 'grid' | 'random'
  trials?: number
  space?: Record<string, string>
  experiment?: string
  runName?: string
  register?: string
  alias?: string
  detach?: boolean
}

/** The request a command line describes; flags that only make sense together are checked here. */
export function trainingRequestFrom(options: TrainOptions): TrainingRequestInput {
  if ((options.splitBy === undefined) !== (options.testAfter === undefined)) {
    throw new InvalidArgumentError('--split-by and --test-after go together')
  }
  if (
    options.search === undefined &&
    (options.space !== undefined || options.trials !== undefined)
  ) {
    throw new InvalidArgumentError('--space and --trials need --search grid|random')
  }
  if (options.search !== undefined && options.space === undefined) {
    throw new InvalidArgumentError('--search needs at least one --space NAME=VALUES')
  }
  if (options.alias !== undefined && options.register === undefined) {
    throw new InvalidArgumentError('--alias needs --register MODEL')
  }
  return {
    dataset: options.dataset,
    target: options.target,
    task: options.task,
    algo: options.algo,
    params: options.param ?? {},
    ...(options.features === undefined ? {} : { features: options.features }),
    ...(options.splitBy === undefined
      ? {}
      : { split: { kind: 'time', column: options.splitBy, test_after: options.testAfter! } }),
    ...(options.search === undefined
      ? {}
      : {
          search: {
            kind: options.search,
            space: options.space!,
            ...(options.trials === undefined ? {} : { trials: options.trials }),
          },
        }),
    ...(options.experiment === undefined ? {} : { experiment: options.experiment }),
    ...(options.runName === undefined ? {} : { run_name: options.runName }),
    ...(options.register === undefined ? {} : { register: options.register }),
    ...(options.alias === undefined ? {} : { alias: options.alias }),
  }
}

function formatMetric(value: number): string {
  return Number.isInteger(value) ? String(value) : value.toFixed(4)
}

export function registerTrainCommand(program: Command, io: CliIo): void {
  program
    .command('train')
    .description(
      'train a model on a dataset version as a job: evaluated, tracked, exported to ONNX, optionally registered',
    )
    .requiredOption('--dataset <name[@version]>', 'the dataset version to train on')
    .requiredOption('--target <column>', 'the column to predict')
    .addOption(
      new Option('--task <task>', 'what to predict').choices(TRAINING_TASKS).makeOptionMandatory(),
    )
    .addOption(
      new Option('--algo <algo>', 'the learning algorithm')
        .choices(TRAINING_ALGORITHMS)
        .default('gbdt'),
    )
    .option('--param <name=value>', 'a training parameter (repeatable)', keyValue('--param'))
    .option('--features <a,b,…>', 'input columns (default: all but the target)', list)
    .option('--split-by <column>', 'split by time on this column instead of at random')
    .option('--test-after <date>', 'with --split-by: rows at or after this date are the test set')
    .addOption(new Option('--search <kind>', 'hyperparameter search').choices(['grid', 'random']))
    .option('--trials <n>', 'with --search: most trials to run', positiveInteger)
    .option(
      '--space <name=values>',
      "with --search: a parameter's values: 50,100,200 | 0.01..0.3 | log:0.001..1 (repeatable)",
      keyValue('--space'),
    )
    .option('--experiment <name>', 'experiment of the run (created when missing)')
    .option('--run-name <name>', 'name of the tracking run')
    .option('--register <model>', 'register the trained model under this name')
    .option('--alias <alias>', 'with --register: point this alias at the new version')
    .option('--detach', 'queue the training and return its job id at once')
    .action(async (options: TrainOptions, command: Command) => {
      const { config, json } = commandSettings(command, io)
      const request = trainingRequestFrom(options)
      await withClient(config, io, async (client) => {
        const { job } = await client.ballast.request<CreateTrainingResponse>(
          'POST',
          '/api/v1/trainings',
          request,
        )
        if (options.detach === true) {
          if (json) return writeJson(io, { job })
          io.stdout.write(
            `queued training job ${job.id}; follow it with: ballast jobs logs ${job.id} --follow\n`,
          )
          return
        }
        const finished = await followJob(client, job, io, { json, label: 'training' })
        if (finished.status !== 'succeeded') return
        const result = TrainingResult.parse(finished.result)
        if (json) return writeJson(io, { job: finished, result })
        io.stdout.write(
          `trained on ${result.dataset.name}@${result.dataset.version}: ${result.train_rows} training rows, ${result.test_rows} test rows\n` +
            `run ${result.run_id} (experiment ${result.experiment_id})\n`,
        )
        writeTable(
          io,
          ['METRIC', 'VALUE'],
          Object.entries(result.metrics).map(([k, v]) => [k, formatMetric(v)]),
          'no metrics',
        )
        if (result.model !== undefined) {
          const m = result.model
          io.stdout.write(
            `registered ${m.name} version ${m.version}${m.alias === undefined ? '' : ` as @${m.alias}`}\n`,
          )
        }
      })
    })
}
