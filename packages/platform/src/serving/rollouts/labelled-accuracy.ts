import { DuckEngine } from '../../data/index.js'
import type { FeedbackService } from '../prediction-log/feedback-service.js'
import type { PredictionStore } from '../prediction-log/prediction-store.js'

/** Accuracy of one model version on its labelled predictions. */
export interface VersionAccuracy {
  version: number
  /** Logged predictions (records) in the range. */
  predictions: number
  labelled: number
  /** Share of labelled predictions whose answer equals the label; null without labels. */
  accuracy: number | null
}

const LOOKUP_CHUNK = 5_000

/** The predicted label of a logged answer (`{"prediction": …}`), as text like feedback labels. */
function predictedLabel(outputs: string): string | null {
  try {
    const parsed = JSON.parse(outputs) as { prediction?: unknown } | null
    const p = parsed?.prediction
    return typeof p === 'string' || typeof p === 'number' || typeof p === 'boolean'
      ? String(p)
      : null
  } catch {
    return null
  }
}

/**
 * Accuracy of each version on the deployment's logged (non-shadow) predictions in [from, to)
 * that have a label: the answer counts as right when its predicted class, as text, equals the
 * label fed back.
 */
export async function labelledAccuracy(
  deps: { predictions: PredictionStore; feedback: FeedbackService },
  query: { deployment: string; versions: readonly number[]; from: number; to: number },
): Promise<Map<number, VersionAccuracy>> {
  const out = new Map<number, VersionAccuracy>()
  for (const version of query.versions) {
    out.set(version, { version, predictions: 0, labelled: 0, accuracy: null })
  }
  const files = await deps.predictions.query({
    deployment: query.deployment,
    from: query.from,
    to: query.to,
  })
  let rows: Record<string, unknown>[]
  try {
    if (files.files.length === 0) return out
    const engine = await DuckEngine.open({ threads: 1 })
    try {
      const versions = query.versions.map((v) => Number(v)).join(', ')
      rows = await engine.all(
        `SELECT request_id, version, outputs FROM ${files.relation} p ` +
          `WHERE version IN (${versions === '' ? 'NULL' : versions})`,
      )
    } finally {
      engine.close()
    }
  } finally {
    await files.dispose()
  }
  const right = new Map<number, number>()
  for (let i = 0; i < rows.length; i += LOOKUP_CHUNK) {
    const chunk = rows.slice(i, i + LOOKUP_CHUNK)
    const labels = await deps.feedback.lookup(
      query.deployment,
      chunk.map((r) => String(r.request_id)),
    )
    for (const r of chunk) {
      const v = out.get(Number(r.version))
      if (v === undefined) continue
      v.predictions += 1
      const label = labels.get(String(r.request_id))
      if (label === undefined) continue
      v.labelled += 1
      if (predictedLabel(String(r.outputs)) === label.label) {
        right.set(v.version, (right.get(v.version) ?? 0) + 1)
      }
    }
  }
  for (const v of out.values()) {
    v.accuracy = v.labelled === 0 ? null : (right.get(v.version) ?? 0) / v.labelled
  }
  return out
}
