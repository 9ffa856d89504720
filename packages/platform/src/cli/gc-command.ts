import {
  type ArtifactGcRequest,
  type ArtifactGcResponse,
  ArtifactGcResult,
} from '@ballast/contracts'
import { type Command, InvalidArgumentError } from 'commander'
import { parseDurationMs } from '../runtime/steps/deploy-inputs.js'
import { withClient } from './client.js'
import { followJob } from './job-wait.js'
import { type CliIo, commandSettings } from './global-options.js'
import { formatTime, writeJson, writeTable } from './output.js'

/**
 * `ballast gc`: removes the artifact store's blobs nothing refers to, as an `artifact-gc` job queued
 * through /api/v1/artifacts/gc and followed with progress.
 */

const DEFAULT_MIN_AGE = '7d'

/** Commander parser of `--min-age`: a duration such as `7d` or `12h`, or 0. */
function minAge(value: string): number {
  if (value.trim() === '0') return 0
  try {
    return parseDurationMs(value, '--min-age')
  } catch {
    throw new InvalidArgumentError("expected a duration such as '7d', '12h' or '30m', or 0")
  }
}

/** 1536 → `1.5 KiB`. */
export function formatBytes(bytes: number): string {
  const units = ['B', 'KiB', 'MiB', 'GiB', 'TiB']
  let value = bytes
  let unit = 0
  while (value >= 1024 && unit < units.length - 1) {
    value /= 1024
    unit++
  }
  return unit === 0 ? `${bytes} B` : `${value.toFixed(1)} ${units[unit]}`
}

export function registerGcCommand(program: Command, io: CliIo): void {
  program
    .command('gc')
    .description(
      'remove stored blobs that no dataset version, artifact file or prediction segment refers to',
    )
    .option(
      '--min-age <duration>',
      `keep blobs put more recently than this (default ${DEFAULT_MIN_AGE})`,
      minAge,
    )
    .option('--dry-run', 'list what would be removed, remove nothing')
    .action(async (options: { minAge?: number; dryRun?: boolean }, command: Command) => {
      const { config, json } = commandSettings(command, io)
      const body: ArtifactGcRequest = {
        min_age_ms: options.minAge ?? minAge(DEFAULT_MIN_AGE),
        dry_run: options.dryRun === true,
      }
      await withClient(config, io, async (client) => {
        const { job } = await client.ballast.request<ArtifactGcResponse>(
          'POST',
          '/api/v1/artifacts/gc',
          body,
        )
        const finished = await followJob(client, job, io, { json, label: 'gc' })
        if (finished.status !== 'succeeded') return
        const result = ArtifactGcResult.parse(finished.result)
        if (json) return writeJson(io, result)
        if (result.dry_run && result.blobs.length > 0) {
          writeTable(
            io,
            ['DIGEST', 'SIZE', 'LAST PUT'],
            result.blobs.map((b) => [b.digest, formatBytes(b.size), formatTime(b.modified)]),
            '',
          )
        }
        const verb = result.dry_run ? 'would remove' : 'removed'
        io.stdout.write(
          `${verb} ${result.deleted} of ${result.listed} blobs (${formatBytes(result.bytes)}); ` +
            `${result.referenced} in use, ${result.young} unused but younger than the minimum age\n`,
        )
      })
    })
}
