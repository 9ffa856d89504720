import { createHash } from 'node:crypto'
import { readFile, writeFile } from 'node:fs/promises'
import path from 'node:path'
import {
  type GetModelLineageResponse,
  type GetModelVersionResponse,
  InvalidParameterError,
  type ModelLineageWire,
} from '@ballast/contracts'
import type { Ballast } from '@ballast/sdk'
import type { Command } from 'commander'
import { withClient } from './client.js'
import { type CliIo, commandSettings } from './global-options.js'
import { type Cell, formatNumber, formatTable, writeJson } from './output.js'
import { modelVersionPath, parseModelRef } from './models-ref.js'

/** `ballast models card | export | import`: model cards and ONNX files, via /api/v1/models. */

/** Versions whose lineage `models show` summarizes; older ones are left to `--json` of lineage. */
export const SHOW_LINEAGE_VERSIONS = 20
const KEY_METRIC = /^(test|cv)_/

function keyMetrics(lineage: ModelLineageWire): string {
  const entries = Object.entries(lineage.metrics).sort(([a], [b]) => (a < b ? -1 : 1))
  const key = entries.filter(([k]) => KEY_METRIC.test(k))
  return (key.length > 0 ? key : entries.slice(0, 3))
    .map(([k, v]) => `${k}=${formatNumber(v)}`)
    .join(', ')
}

function datasetsText(lineage: ModelLineageWire): string {
  return lineage.datasets
    .map(
      (d) =>
        `${d.name}${d.version === null ? '' : `@${d.version}`}${d.context ? ` (${d.context})` : ''}`,
    )
    .join(', ')
}

/** The lineage of each version named, newest first. */
export async function versionLineages(
  ballast: Ballast,
  name: string,
  versions: readonly string[],
): Promise<Array<{ version: string; lineage: ModelLineageWire }>> {
  const out: Array<{ version: string; lineage: ModelLineageWire }> = []
  for (const version of versions.slice(0, SHOW_LINEAGE_VERSIONS)) {
    const res = await ballast.request<GetModelLineageResponse>(
      'GET',
      `${modelVersionPath({ name, ref: version })}/lineage`,
    )
    out.push({ version, lineage: res.lineage })
  }
  return out
}

/** The lineage table `models show` prints under the versions. */
export function formatLineageTable(
  lineages: ReadonlyArray<{ version: string; lineage: ModelLineageWire }>,
): string {
  const rows: Cell[][] = lineages.map(({ version, lineage }) => [
    version,
    lineage.run_id,
    lineage.run_name,
    datasetsText(lineage),
    keyMetrics(lineage),
  ])
  return formatTable(['VERSION', 'RUN', 'RUN NAME', 'DATASETS', 'METRICS'], rows)
}

// Pickle protocols 2–5 start with PROTO (0x80) and the protocol number.
function isPickle(bytes: Uint8Array): boolean {
  return bytes[0] === 0x80 && bytes[1] !== undefined && bytes[1] >= 2 && bytes[1] <= 5
}

export function registerModelFileCommands(models: Command, io: CliIo): void {
  models
    .command('card')
    .description('the model card of a version (Markdown; --json for JSON)')
    .argument('<ref>', 'NAME@ALIAS, NAME/VERSION or NAME (the latest version)')
    .option('--output <file>', 'write the card to this file instead of printing it')
    .action(async (text: string, options: { output?: string }, command: Command) => {
      const { config, json } = commandSettings(command, io)
      const ref = parseModelRef(text)
      await withClient(config, io, async ({ ballast }) => {
        const response = await ballast.http.send({
          method: 'GET',
          path: `${modelVersionPath(ref)}/card`,
          query: { format: json ? 'json' : 'markdown' },
        })
        const body = json
          ? `${JSON.stringify(await response.json(), null, 2)}\n`
          : await response.text()
        if (options.output === undefined) return void io.stdout.write(body)
        const file = path.resolve(io.cwd, options.output)
        await writeFile(file, body)
        io.stdout.write(`wrote ${file}\n`)
      })
    })

  models
    .command('export')
    .description("write a version's ONNX file")
    .argument('<ref>', 'NAME@ALIAS, NAME/VERSION or NAME (the latest version)')
    .requiredOption('--output <file>', 'where to write the ONNX file, e.g. model.onnx')
    .action(async (text: string, options: { output: string }, command: Command) => {
      const { config, json } = commandSettings(command, io)
      const ref = parseModelRef(text)
      await withClient(config, io, async ({ ballast }) => {
        const response = await ballast.http.send({
          method: 'GET',
          path: `${modelVersionPath(ref)}/onnx`,
          noTimeout: true,
        })
        const bytes = new Uint8Array(await response.arrayBuffer())
        const sha256 = createHash('sha256').update(bytes).digest('hex')
        const expected = response.headers.get('etag')?.replaceAll('"', '')
        if (expected !== undefined && expected !== sha256) {
          throw new InvalidParameterError(
            `the ONNX file of ${text} arrived with sha256 ${sha256}, not ${expected}; nothing was written`,
          )
        }
        const file = path.resolve(io.cwd, options.output)
        await writeFile(file, bytes)
        if (json) return writeJson(io, { output: file, size: bytes.length, sha256 })
        io.stdout.write(`wrote ${file} (${bytes.length} bytes, sha256 ${sha256})\n`)
      })
    })

  models
    .command('import')
    .description('register an ONNX file trained elsewhere as a new version')
    .argument('<file>', 'the ONNX file')
    .requiredOption('--name <name>', 'registered model (created when missing)')
    .option('--experiment <name>', 'experiment of the import run (default: Default)')
    .option('--description <text>', 'description of the version')
    .action(
      async (
        file: string,
        options: { name: string; experiment?: string; description?: string },
        command: Command,
      ) => {
        const { config, json } = commandSettings(command, io)
        let bytes: Uint8Array
        try {
          bytes = await readFile(path.resolve(io.cwd, file))
        } catch (cause) {
          throw new InvalidParameterError(`cannot read '${file}': ${(cause as Error).message}`, {
            cause,
          })
        }
        if (isPickle(bytes)) {
          throw new InvalidParameterError(
            `'${file}' is a Python pickle file; pickle files are never loaded, export the model ` +
              'to ONNX (skl2onnx, onnxmltools, torch.onnx)',
          )
        }
        await withClient(config, io, async ({ ballast }) => {
          const response = await ballast.http.send({
            method: 'POST',
            path: `/api/v1/models/${encodeURIComponent(options.name)}/import`,
            query: { experiment: options.experiment, description: options.description },
            body: () => bytes,
            contentType: 'application/octet-stream',
            noTimeout: true,
          })
          const imported = (await response.json()) as GetModelVersionResponse
          if (json) return writeJson(io, imported)
          const v = imported.version
          io.stdout.write(`imported ${file} as ${v.name} version ${v.version} (run ${v.run_id})\n`)
        })
      },
    )
}
