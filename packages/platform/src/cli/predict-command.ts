import { createHash } from 'node:crypto'
import { createWriteStream } from 'node:fs'
import { mkdtemp, rm, stat } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import path from 'node:path'
import { Readable } from 'node:stream'
import { pipeline } from 'node:stream/promises'
import {
  type GetDatasetVersionResponse,
  type GetDeploymentResponse,
  type GetModelVersionResponse,
  InvalidParameterError,
  NotFoundError,
} from '@ballast/contracts'
import type { Ballast } from '@ballast/sdk'
import { SingleBar } from 'cli-progress'
import type { Command } from 'commander'
import { parseDatasetRef } from '../data/index.js'
import {
  type BatchFile,
  type BatchModel,
  DEFAULT_BATCH_SIZE,
  type ScoreBatchResult,
  scoreBatch,
} from '../serving/index.js'
import { withClient } from './client.js'
import { type CliIo, commandSettings, positiveInteger } from './global-options.js'
import { modelVersionPath, parseModelRef } from './models-ref.js'
import { writeJson } from './output.js'

interface PredictOptions {
  input: string
  output: string
  batchSize: number
  workers?: number
  format?: string
}

/** The model version a command line names: `MODEL@ALIAS`, `MODEL/VERSION`, or a deployment. */
export interface ResolvedModel {
  name: string
  version: number
  /** The deployment it was reached through, when a deployment was named. */
  deployment: string | null
  model: BatchModel
}

async function download(ballast: Ballast, apiPath: string): Promise<Response> {
  return ballast.http.send({ method: 'GET', path: apiPath, noTimeout: true })
}

/**
 * Fetches the version's details and ONNX file through the API (the server, or the in-process
 * app on the local home); the scoring itself always runs here.
 */
export async function resolveModel(ballast: Ballast, text: string): Promise<ResolvedModel> {
  let deployment: string | null = null
  let ref
  if (text.includes('/') || text.includes('@')) {
    ref = parseModelRef(text)
  } else {
    let found: GetDeploymentResponse
    try {
      found = await ballast.request<GetDeploymentResponse>(
        'GET',
        `/api/v1/deployments/${encodeURIComponent(text)}`,
      )
    } catch (error) {
      if (error instanceof NotFoundError) {
        throw new NotFoundError(
          `deployment '${text}' not found; name a model version as MODEL@ALIAS or MODEL/VERSION`,
        )
      }
      throw error
    }
    deployment = found.deployment.name
    ref = { name: found.deployment.model, ref: String(found.deployment.version) }
  }
  const shown = await ballast.request<GetModelVersionResponse>('GET', modelVersionPath(ref))
  const response = await download(ballast, `${modelVersionPath(ref)}/onnx`)
  const onnx = new Uint8Array(await response.arrayBuffer())
  const sha256 = createHash('sha256').update(onnx).digest('hex')
  const expected = response.headers.get('etag')?.replaceAll('"', '')
  if (expected !== undefined && expected !== sha256) {
    throw new InvalidParameterError(
      `the ONNX file of ${text} arrived with sha256 ${sha256}, not ${expected}`,
    )
  }
  const details = shown.details
  return {
    name: ref.name,
    version: shown.version.version,
    deployment,
    model: { onnx, inputs: details.signature?.inputs ?? null, classes: details.classes },
  }
}

/** A file on this machine, or else a dataset version downloaded (as Parquet) into `dir`. */
async function resolveInput(
  ballast: Ballast,
  io: CliIo,
  text: string,
  format: string | undefined,
  dir: string,
): Promise<{ file: BatchFile; total?: number }> {
  const local = path.resolve(io.cwd, text)
  const found = await stat(local).catch(() => undefined)
  if (found?.isFile() === true) {
    return { file: { path: local, label: text, ...(format === undefined ? {} : { format }) } }
  }
  let ref
  try {
    ref = parseDatasetRef(text)
  } catch {
    throw new NotFoundError(`no file '${text}' (and it cannot name a dataset)`)
  }
  const versions = `/api/v1/datasets/${encodeURIComponent(ref.name)}/versions`
  const { version } = await ballast.request<GetDatasetVersionResponse>(
    'GET',
    `${versions}/${ref.version}`,
  )
  const file = path.join(dir, 'input.parquet')
  // The version number, not `latest`: the data must be the version whose rows were counted.
  const response = await download(ballast, `${versions}/${version.version}/parquet`)
  if (response.body === null) throw new NotFoundError(`dataset ${text} has no data`)
  await pipeline(Readable.fromWeb(response.body), createWriteStream(file))
  return {
    file: { path: file, label: `${version.name}@${version.version}`, format: 'parquet' },
    total: version.row_count,
  }
}

function progressBar(io: CliIo): SingleBar | undefined {
  if ((io.stderr as { isTTY?: boolean }).isTTY !== true) return undefined
  return new SingleBar({
    stream: io.stderr as unknown as NodeJS.WriteStream,
    format: 'scoring {bar} {value}/{total} rows',
    hideCursor: true,
  })
}

export function registerPredictCommand(program: Command, io: CliIo): void {
  program
    .command('predict')
    .description(
      'score a file or dataset version with a model, here, into a Parquet file: every input column plus the predictions',
    )
    .argument('<model>', 'MODEL@ALIAS, MODEL/VERSION, or a deployment name (its primary version)')
    .requiredOption(
      '--input <file|dataset[@version]>',
      'a CSV, TSV, JSON or Parquet file, or a dataset version',
    )
    .requiredOption('--output <file>', 'the Parquet file to write')
    .option('--format <format>', 'format of the input file (default: from its extension)')
    .option('--batch-size <n>', 'rows per onnxruntime call', positiveInteger, DEFAULT_BATCH_SIZE)
    .option(
      '--workers <n>',
      'batches scored side by side, one core each (default: one per core, at most 4)',
      positiveInteger,
    )
    .action(async (target: string, options: PredictOptions, command: Command) => {
      const { config, json } = commandSettings(command, io)
      const output = path.resolve(io.cwd, options.output)
      const dir = await mkdtemp(path.join(tmpdir(), 'ballast-predict-'))
      try {
        const { resolved, input } = await withClient(config, io, async ({ ballast }) => ({
          resolved: await resolveModel(ballast, target),
          input: await resolveInput(ballast, io, options.input, options.format, dir),
        }))
        const bar = progressBar(io)
        let result: ScoreBatchResult
        try {
          bar?.start(input.total ?? 0, 0)
          result = await scoreBatch({
            model: resolved.model,
            input: input.file,
            output,
            batchSize: options.batchSize,
            ...(options.workers === undefined ? {} : { workers: options.workers }),
            ...(input.total === undefined ? {} : { total: input.total }),
            onProgress: ({ done, total }) => {
              if (total === null) bar?.setTotal(done)
              bar?.update(done)
            },
          })
        } finally {
          bar?.stop()
        }
        const summary = {
          model: resolved.name,
          version: resolved.version,
          deployment: resolved.deployment,
          input: input.file.label ?? options.input,
          output,
          rows: result.rows,
          columns: result.columns,
          seconds: result.seconds,
        }
        if (json) return writeJson(io, summary)
        const via = resolved.deployment === null ? '' : ` (deployment ${resolved.deployment})`
        const rate = result.seconds > 0 ? Math.round(result.rows / result.seconds) : result.rows
        io.stdout.write(
          `scored ${result.rows} rows of ${summary.input} with ${resolved.name}/${resolved.version}${via} ` +
            `in ${result.seconds.toFixed(1)}s (${rate} rows/s)\nwrote ${output}\n`,
        )
      } finally {
        await rm(dir, { recursive: true, force: true })
      }
    })
}
