import { AppError } from '@ballast/contracts'
import type { DuckEngine } from '../../data/index.js'
import { monthBatches } from './flights-data.js'

/** What one replayed batch was answered with. */
interface PredictAnswer {
  version: number
  predictions: { request_id: string; prediction: number | string }[]
}

export interface ReplayStats {
  month: number
  /** Epoch ms when the month's replay started and ended. */
  start: number
  end: number
  predictions: number
  /** Predictions answered by each model version. */
  byVersion: Record<string, number>
  /** Right answers by model version (labels are known here, as they will be later). */
  correctByVersion: Record<string, number>
  correct: number
}

async function post(url: string, body: unknown): Promise<unknown> {
  const res = await fetch(url, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(body),
  })
  const text = await res.text()
  if (!res.ok) {
    throw new AppError(
      'INTERNAL_ERROR',
      `POST ${url} answered ${res.status}: ${text.slice(0, 300)}`,
    )
  }
  return JSON.parse(text) as unknown
}

/**
 * Sends a month's flights to the live endpoint in batches, then each batch's true labels as
 * feedback (as if the flights had landed), exactly as an application would.
 */
export async function replayMonth(options: {
  engine: DuckEngine
  file: string
  month: number
  baseUrl: string
  deployment: string
  sample: number
  batchSize: number
  onBatch: (rows: number) => void
  signal: AbortSignal
}): Promise<ReplayStats> {
  const predictUrl = `${options.baseUrl}/api/v1/deployments/${options.deployment}/predict`
  const feedbackUrl = `${options.baseUrl}/api/v1/deployments/${options.deployment}/feedback`
  const stats: ReplayStats = {
    month: options.month,
    start: Date.now(),
    end: 0,
    predictions: 0,
    byVersion: {},
    correctByVersion: {},
    correct: 0,
  }
  for await (const batch of monthBatches(
    options.engine,
    options.file,
    options.sample,
    options.batchSize,
  )) {
    options.signal.throwIfAborted()
    const answer = (await post(predictUrl, { records: batch.records })) as PredictAnswer
    stats.byVersion[answer.version] = (stats.byVersion[answer.version] ?? 0) + batch.records.length
    let correct = 0
    answer.predictions.forEach((p, i) => {
      if (Number(p.prediction) === batch.labels[i]) correct++
    })
    stats.correct += correct
    stats.correctByVersion[answer.version] = (stats.correctByVersion[answer.version] ?? 0) + correct
    await post(
      feedbackUrl,
      answer.predictions.map((p, i) => ({ request_id: p.request_id, label: batch.labels[i]! })),
    )
    stats.predictions += batch.records.length
    options.onBatch(batch.records.length)
  }
  stats.end = Date.now()
  return stats
}
