import { InvalidParameterError } from '@ballast/contracts'

/**
 * `holdout_scores.json`, beside a classifier's model in its run: the true class and the model's
 * probabilities for (an even sample of) the test rows. Monitors calibrate their label-free
 * performance estimates on it, because scores on the rows a model was fitted on are too sure of
 * themselves.
 */
export const HOLDOUT_SCORES_PATH = 'holdout_scores.json'
/** Rows kept: enough for an isotonic fit, small enough to read at once. */
export const MAX_HOLDOUT_ROWS = 20_000

export interface HoldoutScores {
  classes: string[]
  /** Class index of each row. */
  labels: Float64Array
  /** n × K probabilities, row-major. */
  probabilities: Float64Array
}

interface HoldoutFile {
  classes: string[]
  labels: number[]
  probabilities: number[][]
}

export function encodeHoldoutScores(scores: HoldoutScores, maxRows = MAX_HOLDOUT_ROWS): string {
  const K = scores.classes.length
  const n = scores.labels.length
  const kept = Math.min(n, maxRows)
  const file: HoldoutFile = { classes: scores.classes, labels: [], probabilities: [] }
  for (let j = 0; j < kept; j++) {
    const i = kept === n ? j : Math.floor((j * n) / kept)
    file.labels.push(scores.labels[i]!)
    file.probabilities.push(Array.from(scores.probabilities.subarray(i * K, i * K + K)))
  }
  return JSON.stringify(file)
}

/** Reads the file back; anything malformed is an error naming `source`. */
export function decodeHoldoutScores(text: string, source: string): HoldoutScores {
  const bad = (why: string) => new InvalidParameterError(`${source}: ${why}`)
  let file: Partial<HoldoutFile>
  try {
    file = JSON.parse(text) as Partial<HoldoutFile>
  } catch (cause) {
    throw new InvalidParameterError(`${source}: not JSON (${(cause as Error).message})`, { cause })
  }
  const { classes, labels, probabilities } = file
  if (!Array.isArray(classes) || classes.length < 2) throw bad('expected classes, at least two')
  if (!Array.isArray(labels) || !Array.isArray(probabilities)) {
    throw bad('expected labels and probabilities')
  }
  if (labels.length !== probabilities.length) {
    throw bad(`${labels.length} labels but ${probabilities.length} rows of probabilities`)
  }
  const K = classes.length
  const out = new Float64Array(labels.length * K)
  labels.forEach((label, i) => {
    const row = probabilities[i]
    if (!Number.isInteger(label) || label < 0 || label >= K) {
      throw bad(`labels[${i}]: expected a class index from 0 to ${K - 1}`)
    }
    if (!Array.isArray(row) || row.length !== K || row.some((p) => typeof p !== 'number')) {
      throw bad(`probabilities[${i}]: expected ${K} numbers`)
    }
    out.set(row, i * K)
  })
  return { classes: classes.map(String), labels: Float64Array.from(labels), probabilities: out }
}
