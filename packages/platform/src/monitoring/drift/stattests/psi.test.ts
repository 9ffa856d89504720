import { describe, expect, it } from 'vitest'
import { CAT_CASES, NUM_CASES, expectScoresMatch } from '../test-support/scenarios.js'
import { psiStatTest } from './psi.js'

describe('psi', () => {
  it("matches Evidently's PSI on floored binned shares", () => {
    expectScoresMatch('psi', [...CAT_CASES, ...NUM_CASES], 1e-10)
  })

  it('floors an empty bucket at a millionth of the smallest share when that is ≤ 0.0001', () => {
    const ref = [...Array<string>(20_000).fill('a'), 'b']
    const cur = ['a', 'c']
    const r = [20_000 / 20_001, 1 / 20_001, 1 / 20_001 / 10 ** 6]
    // current's smallest share is 0.5, so its empty bucket takes 0.0001
    const c = [0.5, 0.0001, 0.5]
    const expected = r.reduce((s, ri, i) => s + (ri - c[i]!) * Math.log(ri / c[i]!), 0)
    expect(psiStatTest.compute(ref, cur, 'cat', 0.1).score).toBeCloseTo(expected, 13)
  })
})
