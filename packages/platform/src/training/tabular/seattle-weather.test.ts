import { describe, expect, it } from 'vitest'
import { accuracy } from '../metrics/index.js'
import { OnnxModel } from '../onnx/index.js'
import { onnxFeeds } from './preprocess.js'
import { seattleWeather } from './test-support/seattle-weather.js'
import { trainTabular } from './train-tabular.js'
import type { TabularModel, TabularTable } from './types.js'

const FEATURES = ['date', 'precipitation', 'temp_max', 'temp_min', 'wind']
const TEST_AFTER = '2015-01-01'

/** The rows of `table` on or after the time split's cut. */
function testRows(table: TabularTable): TabularTable {
  const dates = table.columns.find((c) => c.name === 'date')!.values as Float64Array
  const keep: number[] = []
  dates.forEach((d, i) => d >= Date.parse(TEST_AFTER) && keep.push(i))
  return {
    rowCount: keep.length,
    columns: table.columns.map((c) => ({
      ...c,
      values:
        c.values instanceof Float64Array
          ? Float64Array.from(keep, (i) => (c.values as Float64Array)[i]!)
          : keep.map((i) => (c.values as (string | null)[])[i]!),
    })),
  }
}

describe('seattle-weather, time split at 2015-01-01', () => {
  const table = seattleWeather()

  it('gbdt classifies weather; the ONNX model reproduces predict() on the test rows', async () => {
    const model = await trainTabular(table, {
      target: 'weather',
      task: 'classification',
      algo: 'gbdt',
      features: FEATURES,
      split: { kind: 'time', column: 'date', testAfter: TEST_AFTER },
      params: { numTrees: '60', seed: '1' },
    })
    expect(model.classes).toEqual(['drizzle', 'fog', 'rain', 'snow', 'sun'])
    expect(model.evaluation.testRows).toBe(365)
    expect(model.evaluation.trainRows + model.evaluation.validationRows).toBe(1096)
    expect(model.features).toEqual([
      'date_year',
      'date_month',
      'date_day',
      'date_dayofweek',
      'precipitation',
      'temp_max',
      'temp_min',
      'wind',
    ])
    expect(model.inputs.map((i) => i.type)).toEqual([
      'datetime',
      'float',
      'float',
      'float',
      'float',
    ])
    // Always predicting "sun" scores 0.44 on 2015; rain is easy from precipitation.
    expect(model.metrics.test_accuracy).toBeGreaterThan(0.75)
    expect(model.inputExample[0]).toEqual({
      date: '2015-01-01T00:00:00.000Z',
      precipitation: 0,
      temp_max: 5.6,
      temp_min: -3.2,
      wind: 1.2,
    })

    const test = testRows(table)
    const predicted = model.predict(test)
    const truth = test.columns.find((c) => c.name === 'weather')!.values as string[]
    const index = (labels: string[]) => labels.map((l) => model.classes!.indexOf(l))
    expect(accuracy(index(truth), index(predicted.labels!))).toBeCloseTo(
      model.metrics.test_accuracy!,
      12,
    )

    const onnx = await OnnxModel.load(model.onnx)
    const out = await onnx.run(onnxFeedsOf(model, test), test.rowCount)
    expect(out.label!.values).toEqual(index(predicted.labels!))
    const probs = out.probabilities!.values as number[]
    const K = model.classes!.length
    let maxDiff = 0
    for (let i = 0; i < test.rowCount; i++) {
      for (let k = 0; k < K; k++) {
        maxDiff = Math.max(maxDiff, Math.abs(probs[i * K + k]! - predicted.probabilities![k]![i]!))
      }
    }
    expect(maxDiff).toBeLessThan(1e-5)
  })

  it('linear regresses temp_max; the ONNX model reproduces predict()', async () => {
    const model = await trainTabular(table, {
      target: 'temp_max',
      task: 'regression',
      algo: 'linear',
      features: ['date', 'precipitation', 'temp_min', 'wind', 'weather'],
      split: { kind: 'time', column: 'date', testAfter: TEST_AFTER },
    })
    expect(model.metrics.test_rmse).toBeLessThan(4)
    expect(model.metrics.test_r2).toBeGreaterThan(0.7)
    const test = testRows(table)
    const values = model.predict(test).values!
    const out = await (
      await OnnxModel.load(model.onnx)
    ).run(onnxFeedsOf(model, test), test.rowCount)
    const onnxValues = out.prediction!.values as number[]
    onnxValues.forEach((v, i) => expect(v).toBeCloseTo(values[i]!, 4))
  })
})

function onnxFeedsOf(model: TabularModel, table: TabularTable) {
  return onnxFeeds(model.preprocessing, table)
}
