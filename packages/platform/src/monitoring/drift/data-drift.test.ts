import { describe, expect, it } from 'vitest'
import { computeDataDrift, computeDataDriftWithDistributions } from './data-drift.js'
import type { DriftTable } from './drift-table.js'

const reference: DriftTable = [
  {
    name: 'colour',
    values: ['red', 'red', 'blue', 'green', 'red', 'blue', 'green', 'green', 'red', 'blue'],
  },
  { name: 'flag', values: ['y', 'n', 'y', 'y', 'n', 'y', 'n', 'y', 'y', 'y'] },
  { name: 'size', values: Float64Array.of(1, 2, 2, 3, 1, 2, 3, 3, 2, 1) },
  {
    name: 'weight',
    values: Float64Array.of(50.5, 61.2, 55.0, 70.1, 58.3, 64.8, 52.2, 66.6, 59.9, 62.4),
  },
]
const current: DriftTable = [
  {
    name: 'colour',
    values: ['red', 'blue', 'blue', 'green', 'green', 'blue', null, 'blue', 'red', 'blue', 'blue'],
  },
  { name: 'flag', values: ['y', 'n', 'y', 'n', 'n', 'y', 'n', 'n', 'y', 'n', 'y', 'n'] },
  { name: 'size', values: Float64Array.of(1, 2, NaN, 3, 3, 3, Infinity, 3, 3, 2, 3, 3) },
  {
    name: 'weight',
    values: Float64Array.of(60.5, 71.2, 65, 80.1, 68.3, 74.8, 62.2, 76.6, 69.9, 72.4, 75.5, 66),
  },
]

describe('computeDataDrift', () => {
  it("gives Evidently's report: default tests, scores from scipy, data set drift by share", () => {
    const report = computeDataDrift(reference, current, { perColumnStattest: { weight: 'psi' } })
    // Scores: scipy.stats.chisquare / Evidently's z and PSI formulas on the same data.
    expect(report).toEqual({
      dataset_drift: true,
      drift_share: 0.5,
      number_of_columns: 4,
      number_of_drifted_columns: 2,
      share_of_drifted_columns: 0.5,
      drift_by_columns: {
        colour: {
          column_name: 'colour',
          column_type: 'cat',
          stattest_name: 'chisquare',
          stattest_threshold: 0.05,
          drift_score: expect.closeTo(0.11455884399268768, 12),
          drift_detected: false,
        },
        flag: {
          column_name: 'flag',
          column_type: 'cat',
          stattest_name: 'z',
          stattest_threshold: 0.05,
          drift_score: expect.closeTo(0.18386409283871918, 12),
          drift_detected: false,
        },
        size: {
          column_name: 'size',
          column_type: 'num',
          stattest_name: 'chisquare',
          stattest_threshold: 0.05,
          drift_score: expect.closeTo(0.021637370719493097, 12),
          drift_detected: true,
        },
        weight: {
          column_name: 'weight',
          column_type: 'num',
          stattest_name: 'psi',
          stattest_threshold: 0.1,
          drift_score: expect.closeTo(13.61821072542471, 10),
          drift_detected: true,
        },
      },
    })
    expect(Object.keys(report)).toEqual([
      'dataset_drift',
      'drift_share',
      'number_of_columns',
      'number_of_drifted_columns',
      'share_of_drifted_columns',
      'drift_by_columns',
    ])
  })

  it('applies the per-column test before the per-type test before the one for all', () => {
    const report = computeDataDrift(reference, current, {
      stattest: 'psi',
      catStattest: 'jensenshannon',
      perColumnStattest: { flag: 'TVD' },
      columns: ['colour', 'flag', 'size'],
    })
    const tests = Object.values(report.drift_by_columns).map((c) => c.stattest_name)
    expect(tests).toEqual(['jensenshannon', 'TVD', 'psi'])
  })

  it('uses the given threshold and drift share', () => {
    const report = computeDataDrift(reference, current, {
      columns: ['colour', 'flag'],
      threshold: 0.2,
      driftShare: 1,
    })
    expect(report.drift_by_columns.flag!.stattest_threshold).toBe(0.2)
    expect(report.drift_by_columns.flag!.drift_detected).toBe(true)
    expect(report.share_of_drifted_columns).toBe(1)
    expect(report.dataset_drift).toBe(true)
  })

  it('treats numeric columns listed as categorical as categories', () => {
    const report = computeDataDrift(reference, current, {
      columns: ['size'],
      categorical: ['size'],
    })
    expect(report.drift_by_columns.size).toMatchObject({
      column_type: 'cat',
      stattest_name: 'chisquare',
      drift_score: expect.closeTo(0.021637370719493097, 12),
    })
  })

  it.each([
    [{ columns: ['height'] }, 'column height is not in the reference data'],
    [{ stattest: 'nope' }, 'unknown stattest nope (available: '],
    [{ perColumnStattest: { colour: 'chisquare', size: 'chisquare' } }, ''],
    [{ numStattest: 'z' }, 'stattest z does not apply to num column size'],
    [{ driftShare: 1.5 }, 'drift share must be between 0 and 1, got 1.5'],
  ])('rejects %j', (options, message) => {
    if (message === '') {
      // chisquare on a numeric column is refused when asked for by name, as in Evidently.
      expect(() => computeDataDrift(reference, current, options)).toThrow(
        'stattest chisquare does not apply to num column size',
      )
      return
    }
    expect(() => computeDataDrift(reference, current, options)).toThrow(message)
  })

  it('names the column whose sample is empty after dropping NaN', () => {
    const empty: DriftTable = [{ name: 'size', values: Float64Array.of(NaN, Infinity) }]
    expect(() => computeDataDrift(reference.slice(2, 3), empty)).toThrow(
      'column size has no values in the current data',
    )
  })

  it('names the column when a test refuses its data', () => {
    expect(() =>
      computeDataDrift(reference, current, { columns: ['flag'], stattest: 'g_test' }),
    ).toThrow('column flag: g_test needs reference and current samples of equal size')
  })

  it('returns counts on common bins and per category for charts', () => {
    const { distributions } = computeDataDriftWithDistributions(reference, current, {
      columns: ['colour', 'weight'],
      perColumnStattest: { weight: 'psi' },
    })
    expect(distributions.colour).toEqual({
      kind: 'cat',
      categories: ['blue', 'red', 'green'],
      reference: [3, 4, 3],
      current: [6, 2, 2],
    })
    const weight = distributions.weight!
    expect(weight.kind).toBe('num')
    if (weight.kind !== 'num') return
    expect(weight.edges[0]).toBe(50.5)
    expect(weight.edges.at(-1)).toBe(80.1)
    expect(weight.reference.reduce((a, b) => a + b)).toBe(10)
    expect(weight.current.reduce((a, b) => a + b)).toBe(12)
  })
})
