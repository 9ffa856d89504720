import { describe, expect, it } from 'vitest'
import { mae, r2, rmse } from './regression-metrics.js'

describe('regression metrics', () => {
  // Errors −0.5, 0, 1.5, −1 → squared 0.25, 0, 2.25, 1 (sum 3.5); absolute sum 3.
  const y = [3, 5, 2, 7]
  const p = [3.5, 5, 0.5, 8]
  it('RMSE, MAE and R² by hand', () => {
    expect(rmse(y, p)).toBeCloseTo(Math.sqrt(3.5 / 4), 15)
    expect(mae(y, p)).toBe(0.75)
    // mean 4.25; SS_tot = 1.5625 + 0.5625 + 5.0625 + 7.5625 = 14.75
    expect(r2(y, p)).toBeCloseTo(1 - 3.5 / 14.75, 15)
    expect(r2([1, 1], [1, 2])).toBeNaN()
  })

  it('refuses empty or mismatched inputs', () => {
    expect(() => rmse([], [])).toThrow('rmse: 0 labels and 0 predictions')
  })
})
