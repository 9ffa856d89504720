import { InvalidParameterError } from '@ballast/contracts'
import type { MetadataStore } from '../../storage/index.js'
import { validateDeploymentName } from '../deployments/deployment-ref.js'

/** Most labels one call records. */
export const MAX_FEEDBACK_ITEMS = 10_000
const MAX_REQUEST_ID_LENGTH = 256
const MAX_LABEL_LENGTH = 10_000

/** The true outcome of a logged prediction; numbers and booleans are stored as their text. */
export interface FeedbackItem {
  request_id: string
  label: string | number | boolean
}

export interface FeedbackLabel {
  requestId: string
  label: string
  /** Epoch milliseconds when the label was recorded. */
  time: number
}

export interface FeedbackService {
  /**
   * Records labels for a deployment's predictions; a later label for a request id replaces the
   * earlier one (and within one call the last wins). Returns how many request ids were labelled.
   * Every item is checked before anything is stored: a bad one is an InvalidParameterError naming
   * its index.
   */
  record(deployment: string, items: readonly FeedbackItem[]): Promise<number>
  /** A deployment's labels in request-id order, a page at a time. */
  labels(deployment: string, pageSize?: number): AsyncIterable<FeedbackLabel[]>
  /** The labels of the given request ids that have one, by request id. */
  lookup(deployment: string, requestIds: readonly string[]): Promise<Map<string, FeedbackLabel>>
}

function invalid(index: number, field: string, why: string): InvalidParameterError {
  return new InvalidParameterError(
    `Invalid value for parameter 'feedback[${index}].${field}': ${why}`,
  )
}

function checkItem(item: unknown, index: number): { requestId: string; label: string } {
  if (typeof item !== 'object' || item === null || Array.isArray(item)) {
    throw new InvalidParameterError(
      `Invalid value for parameter 'feedback[${index}]': expected an object {"request_id", "label"}`,
    )
  }
  const { request_id: requestId, label } = item as Record<string, unknown>
  if (typeof requestId !== 'string' || requestId === '') {
    throw invalid(index, 'request_id', 'expected a non-empty string')
  }
  if (requestId.length > MAX_REQUEST_ID_LENGTH) {
    throw invalid(index, 'request_id', `longer than ${MAX_REQUEST_ID_LENGTH} characters`)
  }
  let text: string
  if (typeof label === 'string') text = label
  else if (typeof label === 'boolean') text = String(label)
  else if (typeof label === 'number') {
    if (!Number.isFinite(label)) throw invalid(index, 'label', 'expected a finite number')
    text = String(label)
  } else {
    throw invalid(index, 'label', 'expected a string, number or boolean')
  }
  if (text.length > MAX_LABEL_LENGTH) {
    throw invalid(index, 'label', `longer than ${MAX_LABEL_LENGTH} characters`)
  }
  return { requestId, label: text }
}

export function createFeedbackService(deps: {
  store: MetadataStore
  now?: () => number
}): FeedbackService {
  const { store } = deps
  const now = deps.now ?? Date.now
  // Four values per row; PostgreSQL refuses one statement updating the same key twice.
  const batchSize = Math.min(1000, Math.floor(store.capabilities.maxBindParameters / 4))

  return {
    async record(deployment, items) {
      validateDeploymentName(deployment, 'deployment')
      if (!Array.isArray(items)) {
        throw new InvalidParameterError(
          `Invalid value for parameter 'feedback': expected an array of {"request_id", "label"}`,
        )
      }
      if (items.length > MAX_FEEDBACK_ITEMS) {
        throw new InvalidParameterError(
          `Invalid value for parameter 'feedback': ${items.length} items; at most ${MAX_FEEDBACK_ITEMS} per request`,
        )
      }
      const latest = new Map<string, string>()
      items.forEach((item: unknown, index) => {
        const { requestId, label } = checkItem(item, index)
        latest.delete(requestId)
        latest.set(requestId, label)
      })
      const time = now()
      const rows = [...latest].map(([requestId, label]) => ({
        deployment,
        request_id: requestId,
        label,
        time,
      }))
      await store.db.transaction().execute(async (trx) => {
        for (let start = 0; start < rows.length; start += batchSize) {
          await trx
            .insertInto('prediction_feedback')
            .values(rows.slice(start, start + batchSize))
            .onConflict((oc) =>
              oc.columns(['deployment', 'request_id']).doUpdateSet((eb) => ({
                label: eb.ref('excluded.label'),
                time: eb.ref('excluded.time'),
              })),
            )
            .execute()
        }
      })
      return rows.length
    },

    async lookup(deployment, requestIds) {
      const found = new Map<string, FeedbackLabel>()
      const chunk = Math.min(1000, store.capabilities.maxBindParameters - 1)
      for (let start = 0; start < requestIds.length; start += chunk) {
        const rows = await store.db
          .selectFrom('prediction_feedback')
          .select(['request_id', 'label', 'time'])
          .where('deployment', '=', deployment)
          .where('request_id', 'in', requestIds.slice(start, start + chunk))
          .execute()
        for (const r of rows) {
          found.set(r.request_id, { requestId: r.request_id, label: r.label, time: Number(r.time) })
        }
      }
      return found
    },

    async *labels(deployment, pageSize = 10_000) {
      let after: string | undefined
      for (;;) {
        let query = store.db
          .selectFrom('prediction_feedback')
          .select(['request_id', 'label', 'time'])
          .where('deployment', '=', deployment)
        if (after !== undefined) query = query.where('request_id', '>', after)
        const rows = await query.orderBy('request_id').limit(pageSize).execute()
        if (rows.length === 0) return
        yield rows.map((r) => ({ requestId: r.request_id, label: r.label, time: Number(r.time) }))
        if (rows.length < pageSize) return
        after = rows[rows.length - 1]!.request_id
      }
    },
  }
}
