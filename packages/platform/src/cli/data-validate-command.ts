import { createWriteStream, existsSync } from 'node:fs'
import { mkdtemp, readFile, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import path from 'node:path'
import { Readable } from 'node:stream'
import { pipeline } from 'node:stream/promises'
import type { ReadableStream as WebReadableStream } from 'node:stream/web'
import {
  AppError,
  type ExpectationSuite,
  type GetDatasetVersionResponse,
  InvalidParameterError,
  parseExpectationSuite,
} from '@ballast/contracts'
import type { Ballast } from '@ballast/sdk'
import { type Command, InvalidArgumentError } from 'commander'
import type { Config } from '../config/index.js'
import { type DatasetProfile, DuckEngine, parseDatasetRef } from '../data/index.js'
import { profileDataset } from '../data/profile/index.js'
import {
  formatValidation,
  inferSuite,
  type LocalDataset,
  localDatasetFromFile,
  validateDataset,
} from '../data/validation/index.js'
import { withClient } from './client.js'
import { type CliIo, commandSettings } from './global-options.js'
import { jsonErrorOffset } from './json-error-position.js'
import { writeJson } from './output.js'

/**
 * `ballast data validate` and `ballast data infer-suite`, added to the `data` command group.
 * TARGET is a file on this machine when one exists at that path (read with DuckDB, no store
 * needed), and otherwise a stored dataset version, NAME[@VERSION].
 */
export function registerDataValidateCommands(data: Command, io: CliIo): void {
  data
    .command('validate')
    .description('check a dataset version or a file against a validation suite (exit 1 on failure)')
    .argument('<target>', 'NAME, NAME@VERSION, or a CSV, TSV, JSON, NDJSON or Parquet file')
    .requiredOption('--suite <file>', 'the suite: Great Expectations JSON')
    .action(async (target: string, options: { suite: string }, command: Command) => {
      const { config, json } = commandSettings(command, io)
      const suite = await readSuiteFile(path.resolve(io.cwd, options.suite), options.suite)
      const validation = await withTarget(config, io, target, (engine, dataset) =>
        validateDataset(engine, dataset.parquetPath, suite, dataset.schema),
      )
      if (json) writeJson(io, validation)
      else io.stdout.write(formatValidation(validation))
      if (!validation.success) {
        const { unsuccessful_expectations: failed, evaluated_expectations: all } =
          validation.statistics
        throw new AppError('INVALID_STATE', `${target}: ${failed} of ${all} expectations not met`)
      }
    })

  data
    .command('infer-suite')
    .description('print a validation suite inferred from the data, to edit and keep')
    .argument('<target>', 'NAME, NAME@VERSION, or a CSV, TSV, JSON, NDJSON or Parquet file')
    .option('--name <name>', 'the suite name (default: the target)')
    .option('--row-count-tolerance <fraction>', 'row-count band: rows × (1 ± this)', fraction, 0.5)
    .option(
      '--max-categories <n>',
      'value sets for string columns with at most n values',
      count,
      20,
    )
    .action(
      async (
        target: string,
        options: { name?: string; rowCountTolerance: number; maxCategories: number },
        command: Command,
      ) => {
        const { config } = commandSettings(command, io)
        const suite = await withTarget(config, io, target, async (engine, dataset) => {
          const max = options.maxCategories
          // A stored profile keeps its top 10 values: profile again when a value set needs more.
          const short = (p: DatasetProfile) =>
            p.columns.some(
              (c) => c.type === 'string' && c.distinct <= max && c.distinct > c.top.length,
            )
          const profile =
            dataset.profile !== null && !short(dataset.profile)
              ? dataset.profile
              : await profileDataset(engine, dataset.parquetPath, dataset.schema, {
                  topK: Math.max(1, max),
                })
          return inferSuite(dataset.schema, profile, {
            name: options.name ?? target,
            rowCountTolerance: options.rowCountTolerance,
            maxCategories: options.maxCategories,
          })
        })
        // The suite is JSON whether or not --json was given: it is meant for a file.
        writeJson(io, suite)
      },
    )
}

/** Opens DuckDB and a temporary folder, makes the target a local Parquet file, runs `work`. */
async function withTarget<T>(
  config: Config,
  io: CliIo,
  target: string,
  work: (engine: DuckEngine, dataset: LocalDataset) => Promise<T>,
): Promise<T> {
  const file = path.resolve(io.cwd, target)
  const dir = await mkdtemp(path.join(tmpdir(), 'ballast-validate-'))
  const engine = await DuckEngine.open()
  try {
    if (existsSync(file)) {
      return await work(engine, await localDatasetFromFile(engine, file, target, dir))
    }
    const ref = parseDatasetRef(target)
    // Through the API, so that a stored version validates the same with or without --url.
    return await withClient(config, io, async ({ ballast }) =>
      work(engine, await fetchVersion(ballast, ref, dir)),
    )
  } finally {
    engine.close()
    await rm(dir, { recursive: true, force: true })
  }
}

/** A stored version's Parquet, schema and profile, fetched through the API into `dir`. */
async function fetchVersion(
  ballast: Ballast,
  ref: { name: string; version: number | 'latest' },
  dir: string,
): Promise<LocalDataset> {
  const base = `/api/v1/datasets/${encodeURIComponent(ref.name)}/versions/${ref.version}`
  const { version } = await ballast.request<GetDatasetVersionResponse>('GET', base)
  const response = await ballast.http.send({
    method: 'GET',
    path: `${base}/parquet`,
    noTimeout: true,
  })
  if (response.body === null) throw new AppError('INTERNAL_ERROR', `${base}/parquet had no body`)
  const parquetPath = path.join(dir, 'data.parquet')
  await pipeline(
    Readable.fromWeb(response.body as WebReadableStream<Uint8Array>),
    createWriteStream(parquetPath),
  )
  return {
    parquetPath,
    schema: {
      columns: version.schema.columns.map((c) => ({
        name: c.name,
        type: c.type,
        nullable: c.nullable,
        storageType: c.storage_type,
      })),
    },
    profile: version.profile as DatasetProfile | null,
  }
}

/** Reads and checks a suite file; bad JSON is reported with its line and column. */
export async function readSuiteFile(file: string, label: string): Promise<ExpectationSuite> {
  let text: string
  try {
    text = await readFile(file, 'utf8')
  } catch (error) {
    const code = (error as { code?: unknown }).code
    throw new InvalidParameterError(
      `${label}: cannot read the suite file${code === 'ENOENT' ? ': no such file' : ''}`,
      { cause: error },
    )
  }
  let value: unknown
  try {
    value = JSON.parse(text)
  } catch (error) {
    throw new InvalidParameterError(jsonErrorText(text, (error as Error).message, label))
  }
  return parseExpectationSuite(value, label)
}

/** `label: invalid JSON at line L, column C: reason`, the reason being V8's words. */
export function jsonErrorText(text: string, message: string, label: string): string {
  const offset = jsonErrorOffset(text)
  const before = text.slice(0, offset === -1 ? text.length : offset).split('\n')
  const line = before.length
  const column = (before.at(-1)?.length ?? 0) + 1
  const reason = message
    .replace(/, .*is not valid JSON$/s, '')
    .replace(/\s*\(line \d+ column \d+\)/, '')
    .replace(/ in JSON at position \d+/, '')
  return `${label}: invalid JSON at line ${line}, column ${column}: ${reason}`
}

function fraction(value: string): number {
  const n = Number(value)
  if (value.trim() === '' || !Number.isFinite(n) || n < 0 || n > 1) {
    throw new InvalidArgumentError('expected a number from 0 to 1')
  }
  return n
}

function count(value: string): number {
  const n = Number(value)
  if (!/^\d+$/.test(value) || n > 1000) {
    throw new InvalidArgumentError('expected a whole number from 0 to 1000')
  }
  return n
}
