import { existsSync } from 'node:fs'
import { mkdtemp, rm, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import path from 'node:path'
import type { Command } from 'commander'
import { DuckEngine, parseDatasetRef } from '../data/index.js'
import {
  type DataDriftOptions,
  type DataDriftReport,
  type DriftTable,
  computeDataDriftWithDistributions,
  driftTableFromDatasetColumns,
  readDriftTableFromFile,
  renderDriftReportHtml,
} from '../monitoring/index.js'
import { type CliClient, openClient } from './client.js'
import {
  type CliIo,
  collectKeyValue,
  commaList,
  commandSettings,
  finite,
} from './global-options.js'
import { formatTable, writeJson } from './output.js'

interface DriftCommandOptions {
  reference: string
  current: string
  columns?: string[]
  categorical?: string[]
  stattest?: string
  numStattest?: string
  catStattest?: string
  perColumnStattest?: Array<{ key: string; value: string }>
  threshold?: number
  driftShare?: number
  html?: string
}

/** `ballast monitor drift`: Evidently-compatible data drift between two data sets. */
export function registerMonitorCommand(program: Command, io: CliIo): Command {
  const monitor = program.command('monitor').description('monitor data and models')
  monitor
    .command('drift')
    .description(
      'compare current data with reference data column by column (exit 0 whether or not it drifted)',
    )
    .requiredOption(
      '--reference <source>',
      'a CSV, TSV, JSON, NDJSON or Parquet file, or NAME[@VERSION]',
    )
    .requiredOption(
      '--current <source>',
      'a CSV, TSV, JSON, NDJSON or Parquet file, or NAME[@VERSION]',
    )
    .option('--columns <names>', 'compare only these columns (comma-separated)', commaList)
    .option('--categorical <names>', 'numeric columns to treat as categories', commaList)
    .option('--stattest <name>', 'test for every column (e.g. psi, ks, wasserstein)')
    .option('--num-stattest <name>', 'test for numerical columns')
    .option('--cat-stattest <name>', 'test for categorical columns')
    .option(
      '--per-column-stattest <column=name>',
      'test for one column (repeatable)',
      collectKeyValue,
    )
    .option('--threshold <x>', "threshold of every column's test (default: the test's own)", finite)
    .option('--drift-share <x>', 'share of drifted columns that means data set drift', finite, 0.5)
    .option('--html <file>', 'also write a self-contained HTML report to this file')
    .action(async (options: DriftCommandOptions, command: Command) => {
      const { config, json } = commandSettings(command, io)
      const wanted =
        options.columns === undefined
          ? undefined
          : [...new Set([...options.columns, ...(options.categorical ?? [])])]
      const dir = await mkdtemp(path.join(tmpdir(), 'ballast-drift-'))
      const engine = await DuckEngine.open()
      let client: CliClient | undefined
      const clientFor = async () => {
        client ??= await openClient(config, io)
        return client
      }
      try {
        const read = (source: string) => readSource(source, wanted, { engine, dir, io, clientFor })
        const reference = await read(options.reference)
        const current = await read(options.current)
        const result = computeDataDriftWithDistributions(reference, current, driftOptions(options))
        if (options.html !== undefined) {
          const file = path.resolve(io.cwd, options.html)
          const html = renderDriftReportHtml(result, {
            title: `Data drift: ${options.current} against ${options.reference}`,
            referenceName: options.reference,
            currentName: options.current,
          })
          await writeFile(file, html)
          io.stderr.write(`wrote ${options.html}\n`)
        }
        if (json) writeJson(io, result.report)
        else io.stdout.write(formatReport(result.report))
      } finally {
        engine.close()
        await client?.close()
        await rm(dir, { recursive: true, force: true })
      }
    })
  return monitor
}

interface SourceContext {
  engine: DuckEngine
  dir: string
  io: CliIo
  clientFor: () => Promise<CliClient>
}

/** A file when one exists at that path, else a stored dataset version NAME[@VERSION]. */
async function readSource(
  source: string,
  columns: readonly string[] | undefined,
  context: SourceContext,
): Promise<DriftTable> {
  const file = path.resolve(context.io.cwd, source)
  if (existsSync(file))
    return readDriftTableFromFile(context.engine, file, source, context.dir, columns)
  const ref = parseDatasetRef(source)
  const client = await context.clientFor()
  if (client.runtime !== undefined) {
    const data = client.runtime.services.data
    const version = await data.getVersion(ref.name, ref.version)
    const present = columns?.filter((c) => version.schema.columns.some((s) => s.name === c))
    const read = await data.readColumns(ref.name, ref.version, present)
    return driftTableFromDatasetColumns(read.columns, columns)
  }
  // Through a server: fetch the version's Parquet and read it as a file.
  const base = `/api/v1/datasets/${encodeURIComponent(ref.name)}/versions/${ref.version}`
  const response = await client.ballast.http.send({
    method: 'GET',
    path: `${base}/parquet`,
    noTimeout: true,
  })
  const local = path.join(context.dir, `${ref.name}-${ref.version}-${Date.now()}.parquet`)
  await writeFile(local, new Uint8Array(await response.arrayBuffer()))
  return readDriftTableFromFile(context.engine, local, `${ref.name}.parquet`, context.dir, columns)
}

function driftOptions(options: DriftCommandOptions): DataDriftOptions {
  const perColumn: Record<string, string> = {}
  for (const { key, value } of options.perColumnStattest ?? []) perColumn[key] = value
  return {
    ...(options.columns === undefined ? {} : { columns: options.columns }),
    ...(options.categorical === undefined ? {} : { categorical: options.categorical }),
    ...(options.stattest === undefined ? {} : { stattest: options.stattest }),
    ...(options.numStattest === undefined ? {} : { numStattest: options.numStattest }),
    ...(options.catStattest === undefined ? {} : { catStattest: options.catStattest }),
    ...(options.perColumnStattest === undefined ? {} : { perColumnStattest: perColumn }),
    ...(options.threshold === undefined ? {} : { threshold: options.threshold }),
    ...(options.driftShare === undefined ? {} : { driftShare: options.driftShare }),
  }
}

/** The verdict, then one line per column. */
export function formatReport(report: DataDriftReport): string {
  const verdict = report.dataset_drift ? 'drift detected' : 'no drift detected'
  const rows = Object.values(report.drift_by_columns).map((c) => [
    c.column_name,
    c.column_type,
    c.stattest_name,
    c.stattest_threshold,
    Number.isFinite(c.drift_score) ? Number(c.drift_score.toPrecision(6)) : String(c.drift_score),
    c.drift_detected ? 'yes' : 'no',
  ])
  return (
    `${verdict}: ${report.number_of_drifted_columns} of ${report.number_of_columns} columns drifted (drift share ${report.drift_share})\n\n` +
    formatTable(['column', 'type', 'test', 'threshold', 'score', 'drift'], rows)
  )
}
