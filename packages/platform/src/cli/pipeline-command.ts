import { existsSync, statSync } from 'node:fs'
import { readFile } from 'node:fs/promises'
import path from 'node:path'
import {
  AppError,
  type ListPipelineRunsResponse,
  type ListPipelinesResponse,
  PIPELINE_RUNS_API,
  PIPELINES_API,
  type PipelineResponse,
  type PipelineRunResponse,
  type PipelineRunWire,
  parseExpectationSuite,
} from '@ballast/contracts'
import { type Command, InvalidArgumentError } from 'commander'
import { parse as parseYaml } from 'yaml'
import type { Config } from '../config/index.js'
import {
  PIPELINE_STEP_JOB,
  type PipelineSpec,
  parsePipelineYaml,
  parsePolicy,
} from '../orchestration/index.js'
import { STEP_CATALOG } from '../runtime/steps/index.js'
import { type CliClient, withClient } from './client.js'
import { uploadDataset } from './data-upload.js'
import { type CliIo, commandSettings } from './global-options.js'
import { ensureWorkerFor } from './job-wait.js'
import { formatTime, writeJson, writeTable } from './output.js'
import { registerPipelineTriggerCommands } from './pipeline-triggers-command.js'

const POLL_MS = 250
const enc = encodeURIComponent

/** `--param k=v`: numbers and true/false keep their type, as they would in YAML. */
function param(value: string, previous: Record<string, string | number | boolean> = {}) {
  const at = value.indexOf('=')
  if (at <= 0) throw new InvalidArgumentError(`expected --param NAME=VALUE, got '${value}'`)
  const raw = value.slice(at + 1)
  const typed =
    raw === 'true' || raw === 'false'
      ? raw === 'true'
      : raw.trim() !== '' && Number.isFinite(Number(raw))
        ? Number(raw)
        : raw
  return { ...previous, [value.slice(0, at)]: typed }
}

/**
 * Through a server (`--url`), the server cannot read this machine's files: ingest files are
 * uploaded as dataset versions and named by version, and suites and policies are sent inline. On the local
 * home the server is this process, and the files stay files (a later run reads them again).
 */
async function stageFiles(config: Config, io: CliIo, spec: PipelineSpec): Promise<PipelineSpec> {
  if (config.url === undefined) return spec
  const steps = []
  for (const step of spec.steps) {
    const w = step.with
    if (step.kind === 'ingest' && typeof w.file === 'string' && !w.file.includes('${{')) {
      const name =
        typeof w.dataset === 'string' ? w.dataset : path.basename(w.file).replace(/\.[^.]*$/, '')
      const { version } = await uploadDataset(config, io, {
        file: w.file,
        name,
        ...(typeof w.format === 'string' ? { format: w.format } : {}),
        ...(typeof w.where === 'string' ? { where: w.where } : {}),
      })
      io.stderr.write(`uploaded ${w.file} as ${version.name}@${version.version}\n`)
      steps.push({ ...step, with: { dataset: `${version.name}@${version.version}` } })
    } else if (step.kind === 'validate' && typeof w.suite === 'string') {
      const suite = parseExpectationSuite(parseYaml(await readFile(w.suite, 'utf8')), w.suite)
      steps.push({ ...step, with: { ...w, suite } })
    } else if (step.kind === 'evaluate' && typeof w.policy === 'string') {
      // Sent as written, once it reads as a policy here (the mistake named with the file).
      const policy = parseYaml(await readFile(w.policy, 'utf8')) as unknown
      parsePolicy(policy, w.policy)
      steps.push({ ...step, with: { ...w, policy } })
    } else steps.push(step)
  }
  return { ...spec, steps }
}

/** FILE (a pipeline YAML, applied first) or the NAME of an applied pipeline. */
async function pipelineName(config: Config, io: CliIo, client: CliClient, target: string) {
  const file = path.resolve(io.cwd, target)
  if (!existsSync(file) || !statSync(file).isFile()) return target
  const text = await readFile(file, 'utf8')
  const parsed = parsePipelineYaml(text, target, {
    steps: STEP_CATALOG,
    baseDir: path.dirname(file),
  })
  const spec = await stageFiles(config, io, parsed)
  const { pipeline } = await client.ballast.request<PipelineResponse>('POST', PIPELINES_API, {
    spec,
  })
  io.stderr.write(`applied pipeline ${pipeline.name} (${pipeline.digest.slice(0, 12)})\n`)
  return pipeline.name
}

/** Prints each step's status as it changes, until the run ends. */
function follow(client: CliClient, io: CliIo, id: string): Promise<PipelineRunWire> {
  return client.ballast.pipelines.waitForRun(id, {
    pollMs: POLL_MS,
    onStep: (s) => {
      const attempt = s.attempts > 1 ? ` (attempt ${s.attempts})` : ''
      const error = s.error === null ? '' : `: ${s.error}`
      io.stderr.write(`step ${s.step} [${s.kind}]: ${s.status}${attempt}${error}\n`)
    },
  })
}

function writeRun(io: CliIo, run: PipelineRunWire): void {
  io.stdout.write(
    `run ${run.id} of ${run.pipeline}: ${run.status}${run.error === null ? '' : ` (${run.error})`}\n`,
  )
  writeTable(
    io,
    ['STEP', 'KIND', 'STATUS', 'ATTEMPTS', 'TRACKING RUN', 'OUTPUTS'],
    run.steps.map((s) => [
      s.step,
      s.kind,
      s.status,
      s.attempts,
      s.trackingRunId ?? '',
      s.outputs === null
        ? ''
        : Object.entries(s.outputs)
            .map(
              ([k, v]) =>
                `${k}=${typeof v === 'number' && !Number.isInteger(v) ? v.toFixed(4) : v}`,
            )
            .join(' '),
    ]),
    'no steps',
  )
}

function runsTable(io: CliIo, runs: PipelineRunWire[]): void {
  writeTable(
    io,
    ['RUN', 'STATUS', 'TRIGGER', 'CREATED', 'STEPS'],
    runs.map((r) => [
      r.id,
      r.status,
      `${r.trigger.kind}: ${r.trigger.detail}`,
      formatTime(r.createdAt),
      r.steps.map((s) => `${s.step}:${s.status}`).join(' '),
    ]),
    'no runs',
  )
}

export function registerPipelineCommand(program: Command, io: CliIo): Command {
  const pipeline = program
    .command('pipeline')
    .description('pipelines: declared in YAML, run step by step as jobs, cached, retried')

  pipeline
    .command('run')
    .description('apply a pipeline file (or name one) and run it, showing each step until it ends')
    .argument('<file|name>', 'a pipeline YAML file, or the name of an applied pipeline')
    .option('--param <name=value>', 'override a param (repeatable)', param)
    .option('--detach', 'start the run and return its id at once')
    .action(
      async (
        target: string,
        options: { param?: Record<string, string | number | boolean>; detach?: boolean },
        command: Command,
      ) => {
        const { config, json } = commandSettings(command, io)
        await withClient(config, io, async (client) => {
          const name = await pipelineName(config, io, client, target)
          const { run } = await client.ballast.request<PipelineRunResponse>(
            'POST',
            `${PIPELINES_API}/${enc(name)}/runs`,
            { params: options.param ?? {} },
          )
          if (options.detach === true) {
            if (json) return writeJson(io, { run })
            io.stdout.write(
              `started run ${run.id}; follow it with: ballast pipeline run-show ${run.id}\n`,
            )
            return
          }
          const stopWorker = await ensureWorkerFor(client, PIPELINE_STEP_JOB)
          let ended: PipelineRunWire
          try {
            ended = await follow(client, io, run.id)
          } finally {
            await stopWorker()
          }
          if (json) writeJson(io, { run: ended })
          else writeRun(io, ended)
          if (ended.status === 'failed') {
            throw new AppError('INVALID_STATE', `pipeline run ${ended.id} failed: ${ended.error}`)
          }
        })
      },
    )

  pipeline
    .command('list')
    .description('the applied pipelines')
    .action(async (_options: unknown, command: Command) => {
      const { config, json } = commandSettings(command, io)
      await withClient(config, io, async ({ ballast }) => {
        const body = await ballast.request<ListPipelinesResponse>('GET', PIPELINES_API)
        if (json) return writeJson(io, body)
        writeTable(
          io,
          ['NAME', 'STEPS', 'TRIGGERS', 'DIGEST', 'UPDATED'],
          body.pipelines.map((p) => [
            p.name,
            (p.spec.steps as unknown[]).length,
            (p.spec.triggers as unknown[]).length,
            p.digest.slice(0, 12),
            formatTime(p.updatedAt),
          ]),
          'no pipelines',
        )
      })
    })

  pipeline
    .command('show')
    .description('a pipeline as applied')
    .argument('<name>')
    .action(async (name: string, _options: unknown, command: Command) => {
      const { config, json } = commandSettings(command, io)
      await withClient(config, io, async ({ ballast }) => {
        const body = await ballast.request<PipelineResponse>('GET', `${PIPELINES_API}/${enc(name)}`)
        if (json) return writeJson(io, body)
        const { spec } = body.pipeline
        io.stdout.write(`pipeline ${body.pipeline.name} (${body.pipeline.digest.slice(0, 12)})\n`)
        writeTable(
          io,
          ['STEP', 'KIND', 'WITH'],
          (spec.steps as { name: string; kind: string; with: unknown }[]).map((s) => [
            s.name,
            s.kind,
            JSON.stringify(s.with),
          ]),
          'no steps',
        )
      })
    })

  pipeline
    .command('runs')
    .description("a pipeline's runs, newest first")
    .argument('<name>')
    .action(async (name: string, _options: unknown, command: Command) => {
      const { config, json } = commandSettings(command, io)
      await withClient(config, io, async ({ ballast }) => {
        const body = await ballast.request<ListPipelineRunsResponse>(
          'GET',
          `${PIPELINES_API}/${enc(name)}/runs`,
        )
        if (json) return writeJson(io, body)
        runsTable(io, body.runs)
      })
    })

  pipeline
    .command('run-show')
    .description('one run: its steps with status, outputs, jobs and tracking runs')
    .argument('<id>')
    .action(async (id: string, _options: unknown, command: Command) => {
      const { config, json } = commandSettings(command, io)
      await withClient(config, io, async ({ ballast }) => {
        const body = await ballast.request<PipelineRunResponse>(
          'GET',
          `${PIPELINE_RUNS_API}/${enc(id)}`,
        )
        if (json) return writeJson(io, body)
        writeRun(io, body.run)
      })
    })

  pipeline
    .command('cancel')
    .description('cancel a run: no further step starts, running steps are asked to stop')
    .argument('<id>')
    .action(async (id: string, _options: unknown, command: Command) => {
      const { config, json } = commandSettings(command, io)
      await withClient(config, io, async ({ ballast }) => {
        const body = await ballast.request<PipelineRunResponse>(
          'POST',
          `${PIPELINE_RUNS_API}/${enc(id)}/cancel`,
        )
        if (json) return writeJson(io, body)
        io.stdout.write(`run ${id}: ${body.run.status}\n`)
      })
    })
  registerPipelineTriggerCommands(pipeline, io)
  return pipeline
}
