import { describe, expect, it } from 'vitest'
import { decodeHoldoutScores, encodeHoldoutScores } from './holdout-scores.js'

describe('holdout scores', () => {
  const scores = {
    classes: ['late', 'on time'],
    labels: Float64Array.from([0, 1, 1, 0, 1]),
    probabilities: Float64Array.from([0.9, 0.1, 0.2, 0.8, 0.35, 0.65, 0.6, 0.4, 0.05, 0.95]),
  }

  it('round-trips every row, in order', () => {
    const text = encodeHoldoutScores(scores)
    expect(JSON.parse(text)).toEqual({
      classes: ['late', 'on time'],
      labels: [0, 1, 1, 0, 1],
      probabilities: [
        [0.9, 0.1],
        [0.2, 0.8],
        [0.35, 0.65],
        [0.6, 0.4],
        [0.05, 0.95],
      ],
    })
    expect(decodeHoldoutScores(text, 'x')).toEqual(scores)
  })

  it('keeps an even sample of at most maxRows rows', () => {
    const decoded = decodeHoldoutScores(encodeHoldoutScores(scores, 2), 'x')
    // Rows floor(0 × 5 / 2) = 0 and floor(1 × 5 / 2) = 2.
    expect(Array.from(decoded.labels)).toEqual([0, 1])
    expect(Array.from(decoded.probabilities)).toEqual([0.9, 0.1, 0.35, 0.65])
  })

  it('names the source and the row of anything malformed', () => {
    expect(() => decodeHoldoutScores('{', 'run r1: holdout_scores.json')).toThrow(
      'run r1: holdout_scores.json: not JSON',
    )
    const file = (patch: object) =>
      JSON.stringify({ classes: ['a', 'b'], labels: [0], probabilities: [[0.5, 0.5]], ...patch })
    expect(() => decodeHoldoutScores(file({ classes: ['a'] }), 'f')).toThrow(
      'f: expected classes, at least two',
    )
    expect(() => decodeHoldoutScores(file({ labels: [0, 1] }), 'f')).toThrow(
      'f: 2 labels but 1 rows of probabilities',
    )
    expect(() => decodeHoldoutScores(file({ labels: [2] }), 'f')).toThrow(
      'f: labels[0]: expected a class index from 0 to 1',
    )
    expect(() => decodeHoldoutScores(file({ probabilities: [[0.5]] }), 'f')).toThrow(
      'f: probabilities[0]: expected 2 numbers',
    )
  })
})
