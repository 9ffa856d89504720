import { describe, expect, it } from 'vitest'
import {
  accuracy,
  calibrationTable,
  confusionMatrix,
  logLoss,
  macroPrecisionRecallF1,
  precisionRecallF1,
} from './classification-metrics.js'

// Binary case worked by hand: TP = 3 (rows 0, 1, 4), FP = 1 (row 2), FN = 1 (row 3), TN = 3.
const Y = [1, 1, 0, 1, 1, 0, 0, 0]
const P = [1, 1, 1, 0, 1, 0, 0, 0]

describe('classification metrics', () => {
  it('accuracy, precision, recall and F1 from hand counts', () => {
    expect(accuracy(Y, P)).toBe(6 / 8)
    const m = precisionRecallF1(Y, P)
    expect(m.precision).toBe(3 / 4)
    expect(m.recall).toBe(3 / 4)
    expect(m.f1).toBeCloseTo(0.75, 15)
    expect(confusionMatrix(Y, P, 2)).toEqual([
      [3, 1],
      [1, 3],
    ])
  })

  it('macro averages per-class values, with 0 for a class never predicted', () => {
    // class 0: P=1/2 R=1 F1=2/3; class 1: P=1 R=1/2 F1=2/3; class 2: never predicted → 0, 0, 0.
    const m = macroPrecisionRecallF1([0, 1, 1, 2], [0, 1, 0, 1], 3)
    expect(m.precision).toBeCloseTo((1 / 2 + 1 / 2 + 0) / 3, 15)
    expect(m.recall).toBeCloseTo((1 + 1 / 2 + 0) / 3, 15)
    expect(m.f1).toBeCloseTo((2 / 3 + 1 / 2 + 0) / 3, 15)
  })

  it('log loss, binary and multiclass', () => {
    expect(logLoss([1, 0], [0.8, 0.4])).toBeCloseTo(-(Math.log(0.8) + Math.log(0.6)) / 2, 15)
    expect(logLoss([2, 0], [0.1, 0.2, 0.7, 0.5, 0.25, 0.25], 3)).toBeCloseTo(
      -(Math.log(0.7) + Math.log(0.5)) / 2,
      15,
    )
    expect(logLoss([1], [0])).toBeCloseTo(-Math.log(1e-15), 10)
  })

  it('calibration table over 10 equal-width bins', () => {
    const table = calibrationTable([0, 1, 1, 0, 1], [0.05, 0.15, 0.19, 0.95, 1])
    expect(table).toHaveLength(10)
    expect(table[0]).toEqual({
      lower: 0,
      upper: 0.1,
      meanPredicted: 0.05,
      observedRate: 0,
      count: 1,
    })
    expect(table[1]!.count).toBe(2)
    expect(table[1]!.meanPredicted).toBeCloseTo(0.17, 15)
    expect(table[1]!.observedRate).toBe(1)
    expect(table[9]).toEqual({
      lower: 0.9,
      upper: 1,
      meanPredicted: 0.975,
      observedRate: 0.5,
      count: 2,
    })
    expect(table[5]!.count).toBe(0)
    expect(table[5]!.meanPredicted).toBeNaN()
  })

  it('names mismatched lengths and out-of-range classes', () => {
    expect(() => accuracy([1, 0], [1])).toThrow('accuracy: 2 labels but 1 predictions')
    expect(() => confusionMatrix([0, 3], [0, 1], 2)).toThrow('row 1 has class 3 → 1, outside 0..1')
  })
})
