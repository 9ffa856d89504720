import { describe, expect, it } from 'vitest'
import { pythonOracle } from '../../training/test-support/python-oracle.js'
import type { DriftTable } from '../drift/drift-table.js'
import {
  categorySample,
  normalSample,
  seededRandom,
} from '../drift/test-support/evidently-oracle.js'
import { DEFAULT_QUALITY_THRESHOLDS } from '../monitors/monitor-types.js'
import { checkDataQuality } from './data-quality.js'

const thresholds = DEFAULT_QUALITY_THRESHOLDS
const num = (...values: number[]) => Float64Array.from(values)
const repeat = <T>(value: T, n: number): T[] => Array.from({ length: n }, () => value)

describe('checkDataQuality', () => {
  it('reports every check of every expected column, in order, with exact values', () => {
    const reference: DriftTable = [
      { name: 'age', values: num(20, 30, NaN, 40, 50) },
      { name: 'city', values: ['a', 'b', 'a', null, 'c'] },
      { name: 'income', values: num(1, 2, 3, 4, 5) },
    ]
    const current: DriftTable = [
      { name: 'age', values: num(25, 60, Infinity, NaN, NaN, NaN, 30, -Infinity, 20, 50) },
      { name: 'city', values: ['a', 'x', 'y', 'x', 'b', null, 'z', 'x', 'y', 'a'] },
    ]
    const result = checkDataQuality({
      reference,
      current,
      expected: [
        { name: 'age', type: 'num' },
        { name: 'city', type: 'cat' },
        { name: 'income', type: 'num' },
      ],
      schemaViolations: { age: { rows: 2, example: '"abc"' } },
      thresholds,
    })
    expect(result).toEqual({
      failed: 5,
      checks: [
        {
          column: 'age',
          check: 'missing_share',
          value: 0.3,
          threshold: 0.25,
          failed: true,
          detail: 'missing in 30% of rows (reference 20%)',
        },
        {
          column: 'age',
          check: 'out_of_range',
          value: 3 / 7,
          threshold: 0.05,
          failed: true,
          detail: '3 of 7 rows outside the reference range [20, 50]',
        },
        {
          column: 'age',
          check: 'schema',
          value: 2,
          threshold: 0,
          failed: true,
          detail: 'expected numbers; 2 of 10 rows held other values, e.g. "abc"',
        },
        {
          column: 'city',
          check: 'missing_share',
          value: 0.1,
          threshold: 0.25,
          failed: false,
          detail: 'missing in 10% of rows (reference 20%)',
        },
        {
          column: 'city',
          check: 'new_categories',
          value: 6 / 9,
          threshold: 0.01,
          failed: true,
          detail: '6 of 9 rows hold 3 categories not in the reference: "x" (3), "y" (2), "z" (1)',
        },
        {
          column: 'city',
          check: 'schema',
          value: 0,
          threshold: 0,
          failed: false,
          detail: 'expected text',
        },
        {
          column: 'income',
          check: 'schema',
          value: 10,
          threshold: 0,
          failed: true,
          detail: 'column is missing; expected numbers',
        },
      ],
    })
  })

  it('passes a share equal to its threshold and fails one row more', () => {
    // 0.55 − 0.5 comes out a hair above 0.05 in floating point; equal must still pass.
    const missing = (curMissing: number) =>
      checkDataQuality({
        reference: [{ name: 'x', values: num(...repeat(NaN, 5), ...repeat(1, 5)) }],
        current: [
          { name: 'x', values: num(...repeat(NaN, curMissing), ...repeat(1, 20 - curMissing)) },
        ],
        expected: [{ name: 'x', type: 'num' }],
        thresholds,
      }).checks[0]!
    expect(missing(11)).toMatchObject({ value: 0.55, threshold: 0.55, failed: false })
    expect(missing(12)).toMatchObject({ value: 0.6, threshold: 0.55, failed: true })

    const categories = (unseen: number) =>
      checkDataQuality({
        reference: [{ name: 'c', values: ['a', 'b'] }],
        current: [{ name: 'c', values: [...repeat('new', unseen), ...repeat('a', 100 - unseen)] }],
        expected: [{ name: 'c', type: 'cat' }],
        thresholds,
      }).checks[1]!
    expect(categories(1)).toMatchObject({ check: 'new_categories', value: 0.01, failed: false })
    expect(categories(2)).toMatchObject({ check: 'new_categories', value: 0.02, failed: true })

    const range = (outside: number) =>
      checkDataQuality({
        reference: [{ name: 'x', values: num(0, 10) }],
        current: [{ name: 'x', values: num(...repeat(11, outside), ...repeat(5, 100 - outside)) }],
        expected: [{ name: 'x', type: 'num' }],
        thresholds,
      }).checks[1]!
    expect(range(5)).toMatchObject({ check: 'out_of_range', value: 0.05, failed: false })
    expect(range(6)).toMatchObject({ check: 'out_of_range', value: 0.06, failed: true })
    // The range's ends are inside it.
    expect(
      checkDataQuality({
        reference: [{ name: 'x', values: num(0, 10) }],
        current: [{ name: 'x', values: num(0, 10, 10, 0) }],
        expected: [{ name: 'x', type: 'num' }],
        thresholds,
      }).checks[1],
    ).toMatchObject({ value: 0, failed: false })
  })

  it('lists the five most frequent new categories, ties in order of value', () => {
    const values = ['g', 'g', 'g', 'f', 'f', 'e', 'd', 'c', 'b', 'a']
    const check = checkDataQuality({
      reference: [{ name: 'c', values: ['known'] }],
      current: [{ name: 'c', values }],
      expected: [{ name: 'c', type: 'cat' }],
      thresholds,
    }).checks[1]!
    expect(check.detail).toBe(
      '10 of 10 rows hold 7 categories not in the reference: "g" (3), "f" (2), "a" (1), "b" (1), "c" (1)',
    )
  })

  it('compares categories logged as numbers with categories stored as text, and back', () => {
    const asText = checkDataQuality({
      reference: [{ name: 'c', values: ['1', '2', '2.5'] }],
      current: [{ name: 'c', values: num(1, 2.5, 3, NaN, 3) }],
      expected: [{ name: 'c', type: 'cat' }],
      thresholds,
    }).checks[1]!
    expect(asText).toMatchObject({ value: 0.5, detail: expect.stringContaining('"3" (2)') })
    const asNumbers = checkDataQuality({
      reference: [{ name: 'c', values: num(1, 2, NaN) }],
      current: [{ name: 'c', values: ['1', '2', '4', null] }],
      expected: [{ name: 'c', type: 'cat' }],
      thresholds,
    }).checks[1]!
    expect(asNumbers).toMatchObject({ value: 1 / 3, detail: expect.stringContaining('"4" (1)') })
  })

  it('leaves out what cannot be computed and never reports NaN', () => {
    const expected = [
      { name: 'x', type: 'num' as const },
      { name: 'c', type: 'cat' as const },
    ]
    // An empty window: no checks at all.
    expect(
      checkDataQuality({
        reference: [
          { name: 'x', values: num(1) },
          { name: 'c', values: ['a'] },
        ],
        current: [
          { name: 'x', values: num() },
          { name: 'c', values: [] },
        ],
        expected,
        thresholds,
      }),
    ).toEqual({ checks: [], failed: 0 })
    // A reference with no values: no range, no categories; a window with no values: no shares.
    const result = checkDataQuality({
      reference: [
        { name: 'x', values: num(NaN, Infinity) },
        { name: 'c', values: [null, null] },
      ],
      current: [
        { name: 'x', values: num(1, 2) },
        { name: 'c', values: [null, null] },
      ],
      expected,
      thresholds,
    })
    expect(result.checks.map((c) => [c.column, c.check, c.value, c.failed])).toEqual([
      ['x', 'missing_share', 0, false],
      ['x', 'schema', 0, false],
      ['c', 'missing_share', 1, false],
      ['c', 'schema', 0, false],
    ])
    expect(
      result.checks.every((c) => Number.isFinite(c.value) && Number.isFinite(c.threshold)),
    ).toBe(true)
  })

  it('counts text where numbers are expected as schema violations', () => {
    const result = checkDataQuality({
      reference: [{ name: 'x', values: num(1, 2) }],
      current: [{ name: 'x', values: ['1', 'two', null] }],
      expected: [{ name: 'x', type: 'num' }],
      thresholds,
    })
    expect(result.checks.map((c) => [c.check, c.value, c.failed])).toEqual([
      ['missing_share', 1 / 3, true],
      ['schema', 2, true],
    ])
    expect(result.failed).toBe(2)
  })

  it('rejects thresholds that are not shares', () => {
    const run = (missingShare: number) =>
      checkDataQuality({
        reference: [],
        current: [],
        expected: [],
        thresholds: { ...thresholds, missingShare },
      })
    expect(() => run(-0.1)).toThrow(
      'quality threshold missingShare must be between 0 and 1, got -0.1',
    )
    expect(() => run(NaN)).toThrow('got NaN')
  })

  it('agrees with numpy on a large window with NaN, null and infinities', () => {
    const n = 20_000
    const random = seededRandom(7)
    const refX = normalSample(n, 0, 1, 1)
    const curX = normalSample(n, 0.3, 1.2, 2)
    const refC = categorySample(n, ['a', 'b', 'c'], [3, 2, 1], 3) as (string | null)[]
    const curC = categorySample(n, ['a', 'b', 'c', 'd', 'e'], [30, 20, 10, 1, 1], 4) as (
      string | null
    )[]
    for (let i = 0; i < n; i++) {
      if (random() < 0.02) refX[i] = NaN
      const u = random()
      curX[i] = u < 0.05 ? NaN : u < 0.06 ? Infinity : u < 0.07 ? -Infinity : curX[i]!
      if (random() < 0.01) refC[i] = null
      if (random() < 0.08) curC[i] = null
    }
    const result = checkDataQuality({
      reference: [
        { name: 'x', values: refX },
        { name: 'c', values: refC },
      ],
      current: [
        { name: 'x', values: curX },
        { name: 'c', values: curC },
      ],
      expected: [
        { name: 'x', type: 'num' },
        { name: 'c', type: 'cat' },
      ],
      thresholds,
    })
    // JSON has no NaN or Infinity: send them as text and let numpy parse them.
    const expected = pythonOracle<number[]>(
      String.raw`
rx = np.array([float(v) for v in data['refX']]); cx = np.array([float(v) for v in data['curX']])
finite = rx[np.isfinite(rx)]; present = cx[~np.isnan(cx)]
rc = data['refC']; cc = [v for v in data['curC'] if v is not None]
known = set(v for v in rc if v is not None)
print(json.dumps([
  float(np.isnan(cx).mean()), float(np.isnan(rx).mean()),
  float(((present < finite.min()) | (present > finite.max())).mean()),
  sum(v is None for v in data['curC']) / len(data['curC']),
  sum(v not in known for v in cc) / len(cc),
]))`,
      { refX: Array.from(refX, String), curX: Array.from(curX, String), refC, curC },
    )
    const [curMissing, refMissing, outside, catMissing, unseen] = expected as [
      number,
      number,
      number,
      number,
      number,
    ]
    expect(result.checks.map((c) => [c.column, c.check])).toEqual([
      ['x', 'missing_share'],
      ['x', 'out_of_range'],
      ['x', 'schema'],
      ['c', 'missing_share'],
      ['c', 'new_categories'],
      ['c', 'schema'],
    ])
    const [xMissing, xRange, , cMissing, cNew] = result.checks
    expect(xMissing!.value).toBeCloseTo(curMissing, 12)
    expect(xMissing!.threshold).toBeCloseTo(refMissing + 0.05, 12)
    expect(xRange!.value).toBeCloseTo(outside, 12)
    expect(cMissing!.value).toBeCloseTo(catMissing, 12)
    expect(cNew!.value).toBeCloseTo(unseen, 12)
    expect(cNew!.failed).toBe(true)
  })
})
