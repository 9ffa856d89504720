import { HOLDOUT_SCORES_PATH, decodeHoldoutScores } from '../../training/index.js'

/** The test rows of a classifier's training run, in the served model's class order. */
export interface ReferenceHoldout {
  /** Class index of each row. */
  labels: Float64Array
  /** n × K probabilities, row-major. */
  probabilities: Float64Array
}

/** Reads a text artifact of a run; null when the run has none at that path. */
export type RunArtifactReader = (runId: string, path: string) => Promise<string | null>

/**
 * The holdout scores the training run kept beside the model, or null when there are none (a
 * model trained elsewhere, or before they were kept) or their classes are not the model's.
 */
export async function loadHoldout(
  read: RunArtifactReader | undefined,
  runId: string | null,
  classes: readonly (string | number)[] | null,
): Promise<ReferenceHoldout | null> {
  if (read === undefined || runId === null || classes === null || classes.length < 2) return null
  const text = await read(runId, HOLDOUT_SCORES_PATH)
  if (text === null) return null
  const scores = decodeHoldoutScores(text, `run ${runId}: ${HOLDOUT_SCORES_PATH}`)
  const K = classes.length
  const position = new Map(classes.map((c, k) => [String(c), k]))
  const order = scores.classes.map((c) => position.get(c))
  if (scores.classes.length !== K || order.some((k) => k === undefined)) return null
  const n = scores.labels.length
  const labels = new Float64Array(n)
  const probabilities = new Float64Array(n * K)
  for (let i = 0; i < n; i++) {
    labels[i] = order[scores.labels[i]!]!
    for (let j = 0; j < K; j++) probabilities[i * K + order[j]!] = scores.probabilities[i * K + j]!
  }
  return { labels, probabilities }
}
