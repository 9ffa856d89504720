import { z } from 'zod'
import { InvalidParameterError } from './errors.js'

/**
 * The prediction log and feedback API: `POST /api/v1/deployments/{name}/feedback` records the
 * true labels of logged predictions; `GET /api/v1/deployments/{name}/predictions` returns the
 * logged predictions of a time range joined with their labels, as one Parquet file.
 */

export const DEPLOYMENTS_PREDICTIONS_API = '/api/v1/deployments'

export const deploymentFeedbackPath = (name: string): string =>
  `${DEPLOYMENTS_PREDICTIONS_API}/${encodeURIComponent(name)}/feedback`
export const deploymentPredictionsPath = (name: string): string =>
  `${DEPLOYMENTS_PREDICTIONS_API}/${encodeURIComponent(name)}/predictions`

/** Most labels one feedback request carries. */
export const MAX_FEEDBACK_PER_REQUEST = 10_000

/** Media type of the predictions export. */
export const PARQUET_MEDIA_TYPE = 'application/vnd.apache.parquet'

/** Response headers of the export: rows in the file, and how many of them have a label. */
export const PREDICTION_ROWS_HEADER = 'x-ballast-rows'
export const PREDICTION_LABELED_HEADER = 'x-ballast-labeled'

/** One label: the request id a prediction was logged under, and its true outcome. */
export const FeedbackItemWire = z.object({
  request_id: z.string(),
  label: z.union([z.string(), z.number(), z.boolean()]),
})
export type FeedbackItemWire = z.output<typeof FeedbackItemWire>

/**
 * A JSON array of `{request_id, label}`, or `{"feedback": [...]}`. Items are checked one by one by
 * the service, so that a refusal names the item's index.
 */
export const RecordFeedbackRequest = z.union([
  z.array(z.unknown()),
  z.object({ feedback: z.array(z.unknown()) }),
])
export type RecordFeedbackRequest = z.output<typeof RecordFeedbackRequest>

/** How many request ids were labelled (an id given twice counts once; the last label wins). */
export const RecordFeedbackResponse = z.object({ recorded: z.number().int().nonnegative() })
export type RecordFeedbackResponse = z.output<typeof RecordFeedbackResponse>

export const PredictionsExportQuery = z.object({
  /** ISO-8601 (UTC unless it names a zone) or epoch milliseconds; inclusive. */
  from: z.string().optional(),
  /** ISO-8601 (UTC unless it names a zone) or epoch milliseconds; exclusive. */
  to: z.string().optional(),
  /** `true` adds the shadow deployments' answers, which callers never saw. */
  include_shadow: z.enum(['true', 'false']).optional(),
})
export type PredictionsExportQuery = z.output<typeof PredictionsExportQuery>

const ISO_DATE =
  /^\d{4}-\d{2}-\d{2}(?:[T ]\d{2}:\d{2}(?::\d{2}(?:\.\d{1,9})?)?)?(Z|[+-]\d{2}:?\d{2})?$/i

/**
 * A time parameter as epoch milliseconds: ISO-8601 (`2026-11-26`, `2026-11-26T08:00:00Z`; UTC
 * when no zone is named, so that the answer does not depend on the machine) or epoch milliseconds.
 */
export function parseTimeParameter(value: string, field: string): number {
  const text = value.trim()
  if (/^-?\d+$/.test(text)) {
    const ms = Number(text)
    if (Number.isSafeInteger(ms)) return ms
  } else {
    const match = ISO_DATE.exec(text)
    if (match !== null) {
      const withZone =
        match[1] !== undefined || !/[T ]/i.test(text) ? text : `${text.replace(' ', 'T')}Z`
      const ms = Date.parse(withZone)
      if (Number.isFinite(ms)) return ms
    }
  }
  throw new InvalidParameterError(
    `Invalid value for parameter '${field}': ${JSON.stringify(value)}; expected an ISO-8601 time (2026-11-26T08:00:00Z) or epoch milliseconds`,
  )
}
