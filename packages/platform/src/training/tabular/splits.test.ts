import { describe, expect, it } from 'vitest'
import { kFolds, randomHoldout, timeSplit } from './splits.js'
import type { TabularTable } from './types.js'

const rows = Uint32Array.from({ length: 100 }, (_, i) => i * 2)

describe('randomHoldout', () => {
  it('holds out round(fraction × n) rows, disjoint, seeded', () => {
    const a = randomHoldout(rows, 0.2, 1)
    expect(a.test).toHaveLength(20)
    expect(a.train).toHaveLength(80)
    expect(new Set([...a.train, ...a.test])).toEqual(new Set(rows))
    expect(randomHoldout(rows, 0.2, 1)).toEqual(a)
    expect(randomHoldout(rows, 0.2, 2).test).not.toEqual(a.test)
  })

  it('refuses a fraction that leaves a side empty', () => {
    expect(() => randomHoldout([1, 2], 0.1, 0)).toThrow(
      'a test fraction of 0.1 of 2 rows leaves an empty side',
    )
  })
})

describe('timeSplit', () => {
  const table: TabularTable = {
    rowCount: 4,
    columns: [
      {
        name: 't',
        type: 'datetime',
        values: Float64Array.of(
          Date.parse('2020-12-31T23:59:59Z'),
          Date.parse('2021-01-01T00:00:00Z'),
          Number.NaN,
          Date.parse('2019-06-01'),
        ),
      },
      { name: 'v', type: 'float', values: Float64Array.of(1, 2, 3, 4) },
    ],
  }

  it('trains before testAfter; the cut instant and missing times go to test', () => {
    const split = timeSplit(table, [0, 1, 2, 3], 't', '2021-01-01')
    expect(Array.from(split.train)).toEqual([0, 3])
    expect(Array.from(split.test)).toEqual([1, 2])
  })

  it.each([
    ['t', '2030-01-01', "time split at 2030-01-01 on 't' leaves 3 training and 0 test rows"],
    ['v', '2021-01-01', "time split column 'v' must be a datetime column"],
    ['t', 'soon', "time split 'testAfter' must be an ISO date; got 'soon'"],
  ])('%s, %s → %s', (column, at, message) => {
    // Rows 0, 1, 3 have times; row 2's missing time would put it on the test side.
    expect(() => timeSplit(table, [0, 1, 3], column, at)).toThrow(message)
  })
})

describe('kFolds', () => {
  it('partitions the rows: each row tested exactly once, folds within one row of each other', () => {
    const folds = kFolds(rows, 3, 7)
    const tested = folds.flatMap((f) => Array.from(f.test))
    expect(tested.sort((a, b) => a - b)).toEqual(Array.from(rows))
    expect(folds.map((f) => f.test.length)).toEqual([34, 33, 33])
    for (const f of folds) expect(f.train.length + f.test.length).toBe(100)
  })
})
