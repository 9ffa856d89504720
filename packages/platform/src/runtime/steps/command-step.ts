import path from 'node:path'
import { InvalidParameterError } from '@ballast/contracts'
import type { StepInputs, StepOutputs } from '../../orchestration/index.js'
import { runProcess } from '../process/run-process.js'
import { checkKeys, fileDigest, isReference, stringInput, stringList } from './step-inputs.js'
import type { StepContext, StepKind } from './step-types.js'

/**
 * `command`: runs an argv (no shell) on the worker, as `ballast run` runs one: MLFLOW_RUN_ID and
 * MLFLOW_EXPERIMENT_ID name the step's tracking run and MLFLOW_TRACKING_URI the server (the one
 * the worker runs in, unless the worker's environment names one), so a script logging with MLflow logs into the step.
 * `cwd` is the folder it runs in; `code` lists files whose bytes make part of the cache key (a
 * changed script is run again); `env` adds variables. An exit code other than 0 fails the attempt
 * (it is retried). stdout and stderr are kept as the run's artifacts `stdout.txt`/`stderr.txt`.
 * Outputs {exit_code}.
 */

const KEYS = ['run', 'cwd', 'env', 'code'] as const
const FIELD = 'with'
/** What a command inherits from the worker: enough to find programs, nothing secret. */
const INHERITED = [
  'PATH',
  'HOME',
  'LANG',
  'TZ',
  'TMPDIR',
  'MLFLOW_TRACKING_URI',
  'MLFLOW_TRACKING_TOKEN',
]

function envOf(inputs: StepInputs, field: string): Record<string, string> {
  const env = inputs.env
  if (env === undefined) return {}
  if (env === null || typeof env !== 'object' || Array.isArray(env)) {
    throw new InvalidParameterError(`${field}.env: expected a map of names to strings`)
  }
  return Object.fromEntries(Object.entries(env).map(([k, v]) => [k, String(v)]))
}

async function keep(ctx: StepContext, experimentId: string, name: string, bytes: Buffer) {
  await ctx.services.tracking.artifacts.upload(
    `${experimentId}/${ctx.trackingRunId}/artifacts/${name}`,
    new Uint8Array(bytes),
  )
}

export const commandStep: StepKind = {
  kind: 'command',
  fileInputs: ['cwd', 'code'],
  validate(inputs, field) {
    checkKeys(inputs, KEYS, field)
    const argv = stringList(inputs, 'run', field)
    if (argv === undefined || argv.length === 0) {
      throw new InvalidParameterError(`${field}.run: required: the command and its arguments`)
    }
    stringInput(inputs, 'cwd', field)
    stringList(inputs, 'code', field)
    envOf(inputs, field)
  },
  async run(ctx, inputs): Promise<StepOutputs> {
    const [command, ...args] = stringList(inputs, 'run', FIELD) ?? []
    if (command === undefined) throw new InvalidParameterError(`${FIELD}.run: required`)
    const cwd = stringInput(inputs, 'cwd', FIELD)
    const run = await ctx.services.tracking.runs.get(ctx.trackingRunId)
    const experimentId = run.info.experiment_id
    const inherited = Object.fromEntries(
      INHERITED.filter((k) => process.env[k] !== undefined).map((k) => [k, process.env[k]!]),
    )
    const quiet = { write: () => true }
    ctx.log(`running ${[command, ...args].join(' ')}`)
    const outcome = await runProcess({
      command,
      args,
      cwd: cwd === undefined ? process.cwd() : path.resolve(cwd),
      env: {
        PYTHONUNBUFFERED: '1',
        // The server this worker serves, unless the worker's environment names another.
        ...(ctx.trackingUri === undefined ? {} : { MLFLOW_TRACKING_URI: ctx.trackingUri }),
        ...inherited,
        ...envOf(inputs, FIELD),
        MLFLOW_RUN_ID: ctx.trackingRunId,
        MLFLOW_EXPERIMENT_ID: experimentId,
      },
      streams: { stdout: quiet, stderr: quiet },
      signal: ctx.signal,
      forwardSignals: false,
      stdin: 'ignore',
    })
    await keep(ctx, experimentId, 'stdout.txt', outcome.stdout.contents())
    await keep(ctx, experimentId, 'stderr.txt', outcome.stderr.contents())
    if (outcome.exitCode !== 0) {
      const tail = outcome.stderr
        .contents()
        .toString('utf8')
        .trim()
        .split('\n')
        .slice(-3)
        .join(' | ')
      throw new Error(
        `${command} exited with code ${outcome.exitCode}${tail === '' ? '' : `: ${tail}`}`,
      )
    }
    return { exit_code: 0 }
  },
  async inputDigests(_services, inputs) {
    const code = stringList(inputs, 'code', FIELD) ?? []
    const out: Record<string, string> = {}
    for (const file of code) {
      if (!isReference(file)) out[`code:${file}`] = await fileDigest(file)
    }
    return out
  },
}
