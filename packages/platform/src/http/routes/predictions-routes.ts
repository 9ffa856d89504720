import { createReadStream } from 'node:fs'
import { mkdtemp, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import path from 'node:path'
import { Readable } from 'node:stream'
import {
  PARQUET_MEDIA_TYPE,
  PREDICTION_LABELED_HEADER,
  PREDICTION_ROWS_HEADER,
  PredictionsExportQuery,
  RecordFeedbackRequest,
  RecordFeedbackResponse,
  parseTimeParameter,
} from '@ballast/contracts'
import { defineRoute, type AnyRoute } from '../route.js'

/** Streams a file, then removes its folder (also when the client goes away early). */
function streamAndRemove(file: string, dir: string): ReadableStream<Uint8Array> {
  const stream = createReadStream(file)
  stream.once('close', () => void rm(dir, { recursive: true, force: true }))
  return Readable.toWeb(stream) as ReadableStream<Uint8Array>
}

/**
 * The prediction log of a deployment: true labels fed back by the application, and the logged
 * predictions of a time range joined with them. The deployment need not exist: predictions and
 * labels outlive it.
 */
export const PREDICTIONS_ROUTES: readonly AnyRoute[] = [
  defineRoute({
    method: 'POST',
    path: '/api/v1/deployments/:name/feedback',
    permission: 'editor',
    body: RecordFeedbackRequest,
    response: RecordFeedbackResponse,
    handler: async ({ params, body, services }) => {
      const items = Array.isArray(body) ? body : body.feedback
      const recorded = await services.serving.feedback.record(params.name ?? '', items as never)
      return { recorded }
    },
  }),

  /** One Parquet file, streamed; `x-ballast-rows` and `x-ballast-labeled` count its rows. */
  defineRoute({
    method: 'GET',
    path: '/api/v1/deployments/:name/predictions',
    permission: 'viewer',
    query: PredictionsExportQuery,
    handler: async ({ params, query, services }) => {
      const deployment = params.name ?? ''
      const from = query.from === undefined ? undefined : parseTimeParameter(query.from, 'from')
      const to = query.to === undefined ? undefined : parseTimeParameter(query.to, 'to')
      const dir = await mkdtemp(path.join(tmpdir(), 'ballast-export-'))
      const output = path.join(dir, 'predictions.parquet')
      try {
        const result = await services.serving.predictions.exportPredictions({
          deployment,
          ...(from === undefined ? {} : { from }),
          ...(to === undefined ? {} : { to }),
          includeShadow: query.include_shadow === 'true',
          output,
        })
        return new Response(streamAndRemove(output, dir), {
          headers: {
            'Content-Type': PARQUET_MEDIA_TYPE,
            'Content-Disposition': `attachment; filename="${encodeURIComponent(deployment)}-predictions.parquet"`,
            'X-Content-Type-Options': 'nosniff',
            [PREDICTION_ROWS_HEADER]: String(result.rows),
            [PREDICTION_LABELED_HEADER]: String(result.labeled),
          },
        })
      } catch (error) {
        await rm(dir, { recursive: true, force: true })
        throw error
      }
    },
  }),
]
