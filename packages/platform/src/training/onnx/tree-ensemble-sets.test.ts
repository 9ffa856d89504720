import { describe, expect, it } from 'vitest'
import type { TreeEnsembleJson } from './tree-ensemble-json.js'
import { blockSetTests, planCategoryRanks } from './tree-ensemble-sets.js'

function withSets(sets: number[][], feature = 1): TreeEnsembleJson {
  return {
    task: 'regression',
    nClasses: 1,
    baseScore: [0],
    featureNames: ['distance', 'airport'],
    trees: sets.map((categories) => ({
      classIndex: 0,
      nodes: [
        { feature: 0, threshold: 100, missingGoesLeft: true, left: 1, right: 4 },
        { feature, categories, left: 2, right: 3 },
        { leaf: 1 },
        { leaf: 2 },
        { leaf: 3 },
      ],
    })),
  }
}

describe('blockSetTests', () => {
  it('groups ranks by block of 32 as block-local values 1 … 32', () => {
    expect(blockSetTests([70, 0, 32, 31])).toEqual([
      { block: 0, values: [1, 32] },
      { block: 1, values: [1] },
      { block: 2, values: [7] },
    ])
  })
})

describe('planCategoryRanks', () => {
  it('ranks only features with set splits, each code once', () => {
    const ranks = planCategoryRanks(
      withSets([
        [7, 3],
        [3, 11],
      ]),
    )
    expect(ranks).toEqual([{ feature: 1, codes: [3, 7, 11], ranks: [0, 1, 2] }])
    expect(planCategoryRanks(withSets([]))).toEqual([])
  })

  it('moves codes that sets hold together into one block', () => {
    // In numeric order codes 0…31 fill block 0 and 32 and 60 block 1, so {0, 60} and {31, 32}
    // touch both blocks (5 tests for the three sets); one swap makes every set one test.
    const sets = [[0, 60], Array.from({ length: 30 }, (_, i) => i + 1), [31, 32]]
    const [planned] = planCategoryRanks(withSets(sets))
    const codes = [...Array.from({ length: 33 }, (_, i) => i), 60]
    expect(planned!.codes).toEqual(codes)
    expect(new Set(planned!.ranks).size).toBe(codes.length)
    const rank = new Map(codes.map((c, k) => [c, planned!.ranks[k]!]))
    expect(sets.map((s) => blockSetTests(s.map((c) => rank.get(c)!)).length)).toEqual([1, 1, 1])
    const numeric = new Map(codes.map((c, k) => [c, k]))
    expect(sets.map((s) => blockSetTests(s.map((c) => numeric.get(c)!)).length)).toEqual([2, 1, 2])
  })
})
