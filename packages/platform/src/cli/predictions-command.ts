import { createWriteStream } from 'node:fs'
import { readFile, rename, rm } from 'node:fs/promises'
import path from 'node:path'
import { Readable } from 'node:stream'
import { pipeline } from 'node:stream/promises'
import {
  AppError,
  InvalidParameterError,
  MAX_FEEDBACK_PER_REQUEST,
  PREDICTION_LABELED_HEADER,
  PREDICTION_ROWS_HEADER,
  type RecordFeedbackResponse,
  deploymentFeedbackPath,
  deploymentPredictionsPath,
  isAppError,
  parseTimeParameter,
} from '@ballast/contracts'
import type { Command } from 'commander'
import { withClient } from './client.js'
import { parseFeedbackFile } from './feedback-file.js'
import { type CliIo, commandSettings } from './global-options.js'
import { writeJson } from './output.js'

/** `ballast predictions export` and `ballast feedback`: the prediction log and its labels. */

interface ExportOptions {
  from?: string
  to?: string
  output: string
  includeShadow?: boolean
}

/** A server message about `feedback[i]` of one chunk, renumbered to the item's place in the file. */
function fileError(error: unknown, file: string, offset: number, recorded: number): unknown {
  if (!isAppError(error)) return error
  const message = error.message.replace(
    /feedback\[(\d+)\]/g,
    (_, index: string) => `feedback[${Number(index) + offset}]`,
  )
  const done = recorded > 0 ? ` (the ${recorded} labels before it were recorded)` : ''
  return new AppError(error.code, `${file}: ${message}${done}`, { cause: error })
}

export function registerPredictionsCommand(program: Command, io: CliIo): Command {
  const predictions = program
    .command('predictions')
    .description("a deployment's logged predictions")

  predictions
    .command('export')
    .description('write the predictions of a time range, with their labels, to a Parquet file')
    .argument('<deployment>', 'deployment name')
    .option('--from <time>', 'ISO-8601 (UTC unless a zone is given) or epoch ms; inclusive')
    .option('--to <time>', 'ISO-8601 (UTC unless a zone is given) or epoch ms; exclusive')
    .option('--include-shadow', "add the shadow version's answers (column shadow = true)")
    .requiredOption('--output <file>', 'where to write the Parquet file, e.g. predictions.parquet')
    .action(async (deployment: string, options: ExportOptions, command: Command) => {
      const { config, json } = commandSettings(command, io)
      // Checked here so that a typo is refused before anything is asked of the server.
      if (options.from !== undefined) parseTimeParameter(options.from, 'from')
      if (options.to !== undefined) parseTimeParameter(options.to, 'to')
      const file = path.resolve(io.cwd, options.output)
      await withClient(config, io, async ({ ballast }) => {
        const response = await ballast.http.send({
          method: 'GET',
          path: deploymentPredictionsPath(deployment),
          query: {
            from: options.from,
            to: options.to,
            include_shadow: options.includeShadow === true ? 'true' : undefined,
          },
          noTimeout: true,
        })
        if (response.body === null) {
          throw new AppError('INTERNAL_ERROR', 'the server sent no Parquet file')
        }
        // A file that is there is whole: written beside the target, then renamed over it.
        const partial = `${file}.partial`
        try {
          await pipeline(Readable.fromWeb(response.body), createWriteStream(partial))
          await rename(partial, file)
        } catch (error) {
          await rm(partial, { force: true })
          throw error
        }
        const rows = Number(response.headers.get(PREDICTION_ROWS_HEADER) ?? Number.NaN)
        const labeled = Number(response.headers.get(PREDICTION_LABELED_HEADER) ?? Number.NaN)
        if (json) return writeJson(io, { output: file, rows, labeled })
        io.stdout.write(`wrote ${file} (${rows} predictions, ${labeled} with a label)\n`)
      })
    })

  program
    .command('feedback')
    .description("record the true labels of a deployment's predictions")
    .argument('<deployment>', 'deployment name')
    .requiredOption(
      '--file <file>',
      'labels: a CSV with request_id and label columns, or a JSON array of {"request_id", "label"}',
    )
    .action(async (deployment: string, options: { file: string }, command: Command) => {
      const { config, json } = commandSettings(command, io)
      let text: string
      try {
        text = await readFile(path.resolve(io.cwd, options.file), 'utf8')
      } catch (cause) {
        throw new InvalidParameterError(
          `cannot read '${options.file}': ${(cause as Error).message}`,
          { cause },
        )
      }
      const items = parseFeedbackFile(text, options.file)
      await withClient(config, io, async ({ ballast }) => {
        let recorded = 0
        for (let start = 0; start < items.length; start += MAX_FEEDBACK_PER_REQUEST) {
          const chunk = items.slice(start, start + MAX_FEEDBACK_PER_REQUEST)
          try {
            const result = await ballast.request<RecordFeedbackResponse>(
              'POST',
              deploymentFeedbackPath(deployment),
              { feedback: chunk },
            )
            recorded += result.recorded
          } catch (error) {
            throw fileError(error, options.file, start, recorded)
          }
        }
        if (json) return writeJson(io, { deployment, recorded })
        io.stdout.write(`recorded ${recorded} labels for ${deployment}\n`)
      })
    })

  return predictions
}
