import { expect } from 'vitest'
import { STAT_TESTS } from '../stattests/index.js'
import {
  categorySample,
  evidentlyScores,
  normalSample,
  type OracleCase,
} from './evidently-oracle.js'

const COLOURS = ['red', 'green', 'blue', 'amber', 'violet']

/** Samples that exercise every branch of the binning and counting rules. */
export const CAT_CASES: readonly Omit<OracleCase, 'test'>[] = [
  // Same categories, shifted weights, unequal sizes.
  {
    type: 'cat',
    ref: categorySample(400, COLOURS, [5, 3, 2, 1, 1], 1),
    cur: categorySample(300, COLOURS, [3, 3, 3, 2, 1], 2),
  },
  // A category only in current and one only in reference: empty buckets on both sides.
  {
    type: 'cat',
    ref: categorySample(250, ['a', 'b', 'c'], [1, 1, 1], 3),
    cur: categorySample(250, ['b', 'c', 'd'], [1, 2, 1], 4),
  },
  // Nearly no drift.
  {
    type: 'cat',
    ref: categorySample(500, COLOURS, [1, 1, 1, 1, 1], 5),
    cur: categorySample(500, COLOURS, [1, 1, 1, 1, 1], 6),
  },
]

export const BINARY_CASES: readonly Omit<OracleCase, 'test'>[] = [
  {
    type: 'cat',
    ref: categorySample(200, ['no', 'yes'], [3, 1], 7),
    cur: categorySample(200, ['no', 'yes'], [2, 1], 8),
  },
  {
    type: 'cat',
    ref: categorySample(150, ['no', 'yes'], [1, 1], 9),
    cur: categorySample(150, ['no', 'yes'], [1, 1], 10),
  },
  {
    type: 'cat',
    ref: categorySample(120, ['x', 'y'], [9, 1], 11),
    cur: categorySample(120, ['x', 'y'], [1, 9], 12),
  },
]

export const NUM_CASES: readonly Omit<OracleCase, 'test'>[] = [
  // More than 20 distinct reference values: Sturges bins over both samples.
  { type: 'num', ref: normalSample(1500, 0, 1, 21), cur: normalSample(900, 0.3, 1.2, 22) },
  // Shifted far enough that some bins are empty in one sample.
  { type: 'num', ref: normalSample(800, 0, 1, 23), cur: normalSample(800, 2.5, 0.5, 24) },
  // At most 20 distinct values: one bucket per value.
  {
    type: 'num',
    ref: Float64Array.from(normalSample(600, 5, 2, 25), Math.round),
    cur: Float64Array.from(normalSample(700, 6, 2, 26), Math.round),
  },
]

/** Checks a test's scores against the numpy/scipy version of Evidently's formula. */
export function expectScoresMatch(
  testId: string,
  cases: readonly Omit<OracleCase, 'test'>[],
  tolerance = 1e-9,
): number[] {
  const test = STAT_TESTS[testId]!
  const expected = evidentlyScores(cases.map((c) => ({ ...c, test: testId })))
  const actual = cases.map((c) => test.compute(c.ref, c.cur, c.type, test.defaultThreshold))
  actual.forEach((result, i) => {
    expect(Math.abs(result.score - expected[i]!), `case ${i}`).toBeLessThanOrEqual(tolerance)
    expect(result.drifted).toBe(
      test.kind === 'p_value'
        ? expected[i]! < test.defaultThreshold
        : expected[i]! >= test.defaultThreshold,
    )
  })
  return actual.map((r) => r.score)
}
