import type { DatasetProfile } from '../data/index.js'
import type {
  DatasetHeadResponse,
  GetDatasetWithModelsResponse,
  GetDatasetVersionResponse,
  ListDatasetVersionsResponse,
  ListDatasetsResponse,
} from '@ballast/contracts'
import type { Command } from 'commander'
import { checkDatasetName, parseDatasetRef } from '../data/index.js'
import { formatProfile } from '../data/profile/index.js'
import { withClient } from './client.js'
import { uploadDataset } from './data-upload.js'
import { type CliIo, commandSettings, positiveInteger } from './global-options.js'
import { type Cell, formatFields, formatTime, writeJson, writeTable } from './output.js'

const DATASETS_API = '/api/v1/datasets'

function versionPath(ref: string): { path: string; label: string } {
  const { name, version } = parseDatasetRef(ref)
  return {
    path: `${DATASETS_API}/${encodeURIComponent(name)}/versions/${version}`,
    label: `${name}@${version}`,
  }
}

const shortDigest = (digest: string) => digest.slice(0, 12)

/** `ballast data …`: returns the command so that other data commands can join it. */
export function registerDataCommand(program: Command, io: CliIo): Command {
  const data = program
    .command('data')
    .description('ingest files as versioned datasets; list, show and read them')

  data
    .command('ingest')
    .description('ingest a CSV, TSV, JSON, NDJSON or Parquet file as a new dataset version')
    .argument('<file>', 'the file to ingest')
    .requiredOption('--name <name>', 'dataset name')
    .option('--format <format>', 'csv, tsv, json, ndjson or parquet (default: from the extension)')
    .option('--where <predicate>', 'keep only the rows this SQL predicate selects')
    .option('--suite <file>', 'publish only if the data passes this expectation suite (JSON)')
    .action(
      async (
        file: string,
        options: { name: string; format?: string; where?: string; suite?: string },
        command: Command,
      ) => {
        const { config, json } = commandSettings(command, io)
        checkDatasetName(options.name)
        const result = await uploadDataset(config, io, { file, ...options })
        if (json) return writeJson(io, result)
        const v = result.version
        io.stdout.write(
          result.existing
            ? `${v.name}@${v.version} already holds this content (${v.row_count} rows, sha256 ${shortDigest(v.digest)})\n`
            : `ingested ${v.source} as ${v.name}@${v.version}: ${v.row_count} rows, ${v.column_count} columns, sha256 ${shortDigest(v.digest)}\n`,
        )
      },
    )

  data
    .command('list')
    .description('list datasets with their latest version')
    .action(async (_options: unknown, command: Command) => {
      const { config, json } = commandSettings(command, io)
      await withClient(config, io, async ({ ballast }) => {
        const result = await ballast.request<ListDatasetsResponse>('GET', DATASETS_API)
        if (json) return writeJson(io, result)
        writeTable(
          io,
          ['NAME', 'VERSIONS', 'LATEST', 'ROWS', 'COLUMNS', 'SOURCE', 'UPDATED'],
          result.datasets.map((d) => [
            d.name,
            d.version_count,
            d.latest?.version,
            d.latest?.row_count,
            d.latest?.column_count,
            d.latest?.source,
            formatTime(d.latest?.created_at),
          ]),
          'no datasets',
        )
      })
    })

  data
    .command('show')
    .description('a dataset: its versions, the runs that used each and the models made from them')
    .argument('<name>', 'dataset name')
    .action(async (name: string, _options: unknown, command: Command) => {
      const { config, json } = commandSettings(command, io)
      checkDatasetName(name)
      await withClient(config, io, async ({ ballast }) => {
        const result = await ballast.request<GetDatasetWithModelsResponse>(
          'GET',
          `${DATASETS_API}/${encodeURIComponent(name)}`,
        )
        if (json) return writeJson(io, result)
        const d = result.dataset
        io.stdout.write(
          formatFields([
            ['name', d.name],
            ['versions', d.version_count],
            ['created', formatTime(d.created_at)],
            ['created by', d.created_by],
          ]),
        )
        io.stdout.write('\n')
        writeTable(
          io,
          ['VERSION', 'ROWS', 'COLUMNS', 'SOURCE', 'FORMAT', 'SHA256', 'CREATED', 'BY', 'RUNS'],
          result.versions.map((v) => [
            v.version,
            v.row_count,
            v.column_count,
            v.source,
            v.format,
            shortDigest(v.digest),
            formatTime(v.created_at),
            v.created_by,
            v.runs.length,
          ]),
          'no versions',
        )
        const runs = result.versions.flatMap((v) =>
          v.runs.map((r) => ({ ...r, version: v.version })),
        )
        io.stdout.write('\n')
        writeTable(
          io,
          ['VERSION', 'RUN ID', 'RUN NAME', 'EXPERIMENT', 'STATUS', 'CONTEXT'],
          runs.map((r) => [r.version, r.run_id, r.run_name, r.experiment_id, r.status, r.context]),
          'no runs used these versions',
        )
        const models = result.versions.flatMap((v) =>
          v.models.map((m) => [v.version, m.name, m.version]),
        )
        io.stdout.write('\n')
        writeTable(
          io,
          ['VERSION', 'MODEL', 'MODEL VERSION'],
          models,
          'no models trained on these versions',
        )
      })
    })

  data
    .command('versions')
    .description("a dataset's versions, newest first")
    .argument('<name>', 'dataset name')
    .action(async (name: string, _options: unknown, command: Command) => {
      const { config, json } = commandSettings(command, io)
      checkDatasetName(name)
      await withClient(config, io, async ({ ballast }) => {
        const result = await ballast.request<ListDatasetVersionsResponse>(
          'GET',
          `${DATASETS_API}/${encodeURIComponent(name)}/versions`,
        )
        if (json) return writeJson(io, result)
        writeTable(
          io,
          ['VERSION', 'ROWS', 'COLUMNS', 'SIZE', 'SOURCE', 'SHA256', 'CREATED', 'BY'],
          result.versions.map((v) => [
            v.version,
            v.row_count,
            v.column_count,
            v.size_bytes,
            v.source,
            shortDigest(v.digest),
            formatTime(v.created_at),
            v.created_by,
          ]),
          'no versions',
        )
      })
    })

  data
    .command('head')
    .description('the first rows of a version')
    .argument('<dataset>', 'NAME, NAME@VERSION or NAME@latest')
    .option('-n, --rows <count>', 'how many rows (at most 1000)', positiveInteger, 10)
    .action(async (ref: string, options: { rows: number }, command: Command) => {
      const { config, json } = commandSettings(command, io)
      const { path } = versionPath(ref)
      await withClient(config, io, async ({ ballast }) => {
        const result = await ballast.request<DatasetHeadResponse>('GET', `${path}/head`, {
          n: options.rows,
        })
        if (json) return writeJson(io, result)
        writeTable(
          io,
          result.columns,
          result.rows.map((row) => result.columns.map((c) => cellOf(row[c]))),
          'no rows',
        )
      })
    })

  data
    .command('profile')
    .description("a version's profile: counts, missing, distinct, range, moments, quantiles")
    .argument('<dataset>', 'NAME, NAME@VERSION or NAME@latest')
    .action(async (ref: string, _options: unknown, command: Command) => {
      const { config, json } = commandSettings(command, io)
      const { path } = versionPath(ref)
      await withClient(config, io, async ({ ballast }) => {
        const { version } = await ballast.request<GetDatasetVersionResponse>('GET', path)
        const profile = version.profile as DatasetProfile | null
        if (json) return writeJson(io, { name: version.name, version: version.version, profile })
        if (profile === null) {
          io.stdout.write(`${version.name}@${version.version} has no profile\n`)
          return
        }
        io.stdout.write(`${version.name}@${version.version}: ${formatProfile(profile)}\n`)
      })
    })

  return data
}

function cellOf(value: unknown): Cell {
  if (value === null || value === undefined) return 'null'
  if (typeof value === 'object') return JSON.stringify(value)
  return value as Cell
}
