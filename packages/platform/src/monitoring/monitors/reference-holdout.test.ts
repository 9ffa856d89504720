import { describe, expect, it } from 'vitest'
import { encodeHoldoutScores } from '../../training/index.js'
import { fitCalibration } from './calibration.js'
import type { ReferenceData } from './reference-data.js'
import { loadHoldout } from './reference-holdout.js'

const file = encodeHoldoutScores({
  classes: ['no', 'yes'],
  labels: Float64Array.from([1, 0, 1]),
  probabilities: Float64Array.from([0.3, 0.7, 0.8, 0.2, 0.4, 0.6]),
})

describe('loadHoldout', () => {
  it("reorders the training run's classes into the served model's", async () => {
    const read = async (runId: string, path: string) =>
      runId === 'r1' && path === 'holdout_scores.json' ? file : null
    const holdout = await loadHoldout(read, 'r1', ['yes', 'no'])
    expect(Array.from(holdout!.labels)).toEqual([0, 1, 0])
    expect(Array.from(holdout!.probabilities)).toEqual([0.7, 0.3, 0.2, 0.8, 0.6, 0.4])
  })

  it('is null without a file, a run, a reader, or with other classes', async () => {
    const read = async () => file
    expect(await loadHoldout(async () => null, 'r1', ['no', 'yes'])).toBeNull()
    expect(await loadHoldout(read, null, ['no', 'yes'])).toBeNull()
    expect(await loadHoldout(undefined, 'r1', ['no', 'yes'])).toBeNull()
    expect(await loadHoldout(read, 'r1', ['no', 'maybe'])).toBeNull()
    expect(await loadHoldout(read, 'r1', null)).toBeNull()
  })
})

describe('fitCalibration', () => {
  // Reference rows: the model is always right on them (scores it was fitted on). Held-out rows:
  // a score of 0.9 is right half the time.
  const n = 200
  const reference = {
    classes: ['no', 'yes'],
    scored: { predictions: [], probabilities: new Float64Array(n * 2) },
    labels: new Float64Array(n),
  } as unknown as ReferenceData
  for (let i = 0; i < n; i++) {
    const yes = i % 2
    reference.scored.probabilities!.set(yes ? [0.1, 0.9] : [0.9, 0.1], i * 2)
    reference.labels[i] = yes
  }
  const heldOut = {
    labels: Float64Array.from({ length: n }, (_, i) => (i % 4 < 2 ? 1 : 0)),
    probabilities: Float64Array.from({ length: 2 * n }, (_, j) => (j % 2 === 1 ? 0.9 : 0.1)),
  }
  const score = Float64Array.from([0.1, 0.9])

  it('fits on the held-out rows when there are enough of them', () => {
    const calibrated = fitCalibration({ ...reference, holdout: heldOut })(score, 2)
    expect(Array.from(calibrated)).toEqual([0.5, 0.5])
  })

  it('falls back to the reference rows without them, or with too few', () => {
    const short = { labels: heldOut.labels.slice(0, 99), probabilities: heldOut.probabilities }
    for (const holdout of [null, short]) {
      const calibrated = fitCalibration({ ...reference, holdout })(score, 2)
      expect(Array.from(calibrated)).toEqual([0, 1])
    }
  })
})
