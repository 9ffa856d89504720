import { execFile } from 'node:child_process'
import { mkdtemp, rm, writeFile } from 'node:fs/promises'
import { tmpdir, userInfo } from 'node:os'
import path from 'node:path'
import { Ballast, type Run, type RunStatus } from '@ballast/sdk'
import type { Command } from 'commander'
import type { Config } from '../config/index.js'
import { createRuntimeApp } from '../http/runtime-app.js'
import { startServer } from '../http/server.js'
import { openRuntime } from '../runtime/open-runtime.js'
import { cliLogger } from './client.js'
import { ExitStatus } from './exit-status.js'
import { type CliIo, collectKeyValue, commandSettings } from './global-options.js'
import { type ProcessOutcome, runProcess } from './run-process.js'

export interface RunCommandOptions {
  /** Experiment name, created when missing; MLflow's default experiment when absent. */
  experiment?: string
  runName?: string
  params?: ReadonlyArray<{ key: string; value: string }>
  /** Bytes kept of each of stdout and stderr; 64 MiB by default. */
  maxOutputBytes?: number
}

/** Where the command's run is tracked, and where the child is told to log. */
interface TrackingTarget {
  ballast: Ballast
  trackingUri: string
  token?: string
  close(): Promise<void>
}

// MLflow's limit on a tag value; a longer command line is cut rather than refused.
const TAG_VALUE_LIMIT = 8000
const IN_PROCESS_URL = 'http://ballast.local'

/**
 * Remote: the server of `--url`. Local: the home's store, served on a loopback port for as long as
 * the command runs, so that the script can log over HTTP like any MLflow client.
 */
async function openTrackingTarget(config: Config, io: CliIo): Promise<TrackingTarget> {
  if (config.url !== undefined) {
    const token = config.token
    return {
      ballast: new Ballast({ url: config.url, ...(token === undefined ? {} : { token }) }),
      trackingUri: config.url,
      ...(token === undefined ? {} : { token }),
      close: async () => {},
    }
  }
  const level = config.log.level === 'info' ? 'warn' : config.log.level
  const runtime = await openRuntime(config, { logger: cliLogger(config, io, level) })
  // Auth off as for every local command; the port is on loopback and lives only as long as the run.
  const server = await startServer(runtime, { host: '127.0.0.1', port: 0, authEnabled: false })
  const app = createRuntimeApp(runtime, { authEnabled: false })
  return {
    ballast: new Ballast({
      url: IN_PROCESS_URL,
      fetch: (input, init) => app.request(input, init),
      retries: 0,
    }),
    trackingUri: server.url,
    // Closes the runtime too.
    close: () => server.close(),
  }
}

/** A command line as a shell would take it back: arguments with special characters quoted. */
export function formatCommandLine(argv: readonly string[]): string {
  return argv
    .map((arg) => (/^[\w@%+=:,./-]+$/.test(arg) ? arg : `'${arg.replace(/'/g, `'\\''`)}'`))
    .join(' ')
}

/** MLflow's `getpass.getuser()`: the usual variables, then the account. */
function userName(env: Record<string, string | undefined>): string | undefined {
  for (const key of ['LOGNAME', 'USER', 'LNAME', 'USERNAME']) {
    const value = env[key]
    if (value !== undefined && value !== '') return value
  }
  try {
    return userInfo().username
  } catch {
    return undefined
  }
}

/** The commit checked out in `cwd`, or undefined outside a git repository (or without git). */
function gitCommit(
  cwd: string,
  env: Record<string, string | undefined>,
): Promise<string | undefined> {
  return new Promise((resolve) => {
    execFile('git', ['rev-parse', 'HEAD'], { cwd, env, timeout: 5000 }, (error, stdout) => {
      const commit = stdout.trim()
      resolve(error === null && /^[0-9a-f]{40,64}$/.test(commit) ? commit : undefined)
    })
  })
}

function statusOf(outcome: ProcessOutcome): RunStatus {
  if (outcome.interruptedBy !== undefined || outcome.signal !== undefined) return 'KILLED'
  return outcome.exitCode === 0 ? 'FINISHED' : 'FAILED'
}

/** Logs what the command printed as `stdout.txt` and `stderr.txt`. */
async function logOutput(run: Run, outcome: ProcessOutcome): Promise<void> {
  const dir = await mkdtemp(path.join(tmpdir(), 'ballast-run-'))
  try {
    for (const [name, tail] of [
      ['stdout.txt', outcome.stdout],
      ['stderr.txt', outcome.stderr],
    ] as const) {
      const file = path.join(dir, name)
      await writeFile(file, tail.contents())
      await run.logArtifact(file)
    }
  } finally {
    await rm(dir, { recursive: true, force: true })
  }
}

/**
 * Runs `argv` as a tracked run and returns its exit code (128 + the signal number when a signal
 * ended it). Rejects when the run cannot be created, or the command cannot be started (the run
 * then ends FAILED).
 */
export async function trackCommand(
  config: Config,
  io: CliIo,
  argv: readonly string[],
  options: RunCommandOptions = {},
): Promise<number> {
  const [command, ...args] = argv
  if (command === undefined) throw new Error('trackCommand needs a command')
  const commandLine = formatCommandLine(argv)
  const [commit, target] = await Promise.all([
    gitCommit(io.cwd, io.env),
    openTrackingTarget(config, io),
  ])
  try {
    const user = userName(io.env)
    const run = await target.ballast.startRun({
      ...(options.experiment === undefined ? {} : { experiment: options.experiment }),
      ...(options.runName === undefined ? {} : { name: options.runName }),
      tags: {
        'mlflow.source.name': commandLine.slice(0, TAG_VALUE_LIMIT),
        'mlflow.source.type': 'LOCAL',
        ...(user === undefined ? {} : { 'mlflow.user': user }),
        ...(commit === undefined ? {} : { 'mlflow.source.git.commit': commit }),
      },
    })
    for (const { key, value } of options.params ?? []) run.logParam(key, value)
    // The script may read its params back; they are on the server before it starts.
    await run.flush()
    const experimentName =
      options.experiment ?? (await target.ballast.getExperiment(run.experimentId)).name
    io.stderr.write(
      `ballast run: run ${run.id} (${run.name}) in experiment '${experimentName}' (id ${run.experimentId})\n`,
    )

    let outcome: ProcessOutcome
    try {
      outcome = await runProcess({
        command,
        args,
        cwd: io.cwd,
        env: {
          // Python buffers a piped stdout; the output would not be live without this.
          PYTHONUNBUFFERED: '1',
          ...io.env,
          MLFLOW_TRACKING_URI: target.trackingUri,
          MLFLOW_RUN_ID: run.id,
          MLFLOW_EXPERIMENT_ID: run.experimentId,
          ...(target.token === undefined ? {} : { MLFLOW_TRACKING_TOKEN: target.token }),
        },
        streams: io,
        ...(io.signal === undefined ? {} : { signal: io.signal }),
        ...(options.maxOutputBytes === undefined ? {} : { maxOutputBytes: options.maxOutputBytes }),
      })
    } catch (error) {
      await run.end('FAILED')
      throw error
    }

    const status = statusOf(outcome)
    try {
      await logOutput(run, outcome)
    } catch (error) {
      // The command's own result matters more than its log: report, and keep its exit code.
      io.stderr.write(
        `ballast run: could not log the command's output: ${(error as Error).message}\n`,
      )
    }
    run.setTag('ballast.exit_code', outcome.exitCode)
    if (outcome.signal !== undefined) run.setTag('ballast.signal', outcome.signal)
    await run.end(status)
    io.stderr.write(
      `ballast run: run ${run.id} ended ${status} (${
        outcome.signal === undefined ? `exit code ${outcome.exitCode}` : `signal ${outcome.signal}`
      })\n`,
    )
    return outcome.exitCode
  } finally {
    await target.close()
  }
}

export function registerRunCommand(program: Command, io: CliIo): void {
  program
    .command('run')
    .description(
      'run a command as a tracked run: MLFLOW_TRACKING_URI and MLFLOW_RUN_ID set for it, its output and exit status logged',
    )
    .usage('[options] -- <command> [args...]')
    .argument('<command...>', 'the command and its arguments, after --')
    .option('--experiment <name>', 'experiment name, created if missing (default: Default)')
    .option('--run-name <name>', 'name of the run (default: a generated one)')
    .option('--param <key=value>', 'a param to log on the run; repeatable', collectKeyValue)
    .action(
      async (
        argv: string[],
        options: {
          experiment?: string
          runName?: string
          param?: Array<{ key: string; value: string }>
        },
        command: Command,
      ) => {
        const { config } = commandSettings(command, io)
        const code = await trackCommand(config, io, argv, {
          ...(options.experiment === undefined ? {} : { experiment: options.experiment }),
          ...(options.runName === undefined ? {} : { runName: options.runName }),
          ...(options.param === undefined ? {} : { params: options.param }),
        })
        if (code !== 0) throw new ExitStatus(code)
      },
    )
}
