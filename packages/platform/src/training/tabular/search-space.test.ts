import { describe, expect, it } from 'vitest'
import { parseDimension, searchTrials } from './search-space.js'

describe('parseDimension', () => {
  it('reads lists, uniform, log-uniform and integer ranges', () => {
    expect(parseDimension('gbdt', 'numTrees', '50,100,200')).toEqual({
      name: 'numTrees',
      kind: 'list',
      values: [50, 100, 200],
    })
    expect(parseDimension('gbdt', 'learningRate', '0.01..0.3')).toEqual({
      name: 'learningRate',
      kind: 'range',
      lo: 0.01,
      hi: 0.3,
      log: false,
      integer: false,
    })
    expect(parseDimension('logistic', 'lambda', 'log:0.001..1')).toMatchObject({ log: true })
    expect(parseDimension('gbdt', 'maxDepth', '3..8')).toMatchObject({ integer: true })
  })

  it.each([
    ['gbdt', 'depth', '3..8', "unknown gbdt parameter 'depth'"],
    [
      'gbdt',
      'maxDepth',
      '3.5..8',
      "search space 'maxDepth': an integer parameter needs integer ends",
    ],
    [
      'gbdt',
      'learningRate',
      '0.3..0.1',
      "search space 'learningRate': range 0.3..0.1 must have lo < hi",
    ],
    ['linear', 'lambda', 'log:0..1', "search space 'lambda': a log range needs lo > 0"],
    ['gbdt', 'numTrees', '10,x', "search space 'numTrees': 'x' is not a number"],
  ] as const)('%s %s=%s → %s', (algo, name, text, message) => {
    expect(() => parseDimension(algo, name, text)).toThrow(message)
  })
})

describe('searchTrials', () => {
  it('grid: the cartesian product in order, integer ranges expanded, capped by trials', () => {
    const space = { numTrees: '10,20', maxDepth: '3..5' }
    const all = searchTrials('gbdt', { kind: 'grid', space }, 0)
    expect(all).toEqual([
      { numTrees: 10, maxDepth: 3 },
      { numTrees: 10, maxDepth: 4 },
      { numTrees: 10, maxDepth: 5 },
      { numTrees: 20, maxDepth: 3 },
      { numTrees: 20, maxDepth: 4 },
      { numTrees: 20, maxDepth: 5 },
    ])
    expect(searchTrials('gbdt', { kind: 'grid', trials: 2, space }, 0)).toEqual(all.slice(0, 2))
    expect(() =>
      searchTrials('gbdt', { kind: 'grid', space: { learningRate: '0.1..0.2' } }, 0),
    ).toThrow("grid search cannot enumerate 'learningRate'")
  })

  it('random: seeded draws inside the ranges; log ranges spread over decades', () => {
    const search = {
      kind: 'random' as const,
      trials: 400,
      space: { learningRate: 'log:0.001..1', maxDepth: '3..8', numTrees: '50,100' },
    }
    const trials = searchTrials('gbdt', search, 4)
    expect(searchTrials('gbdt', search, 4)).toEqual(trials)
    expect(searchTrials('gbdt', search, 5)).not.toEqual(trials)
    const rates = trials.map((t) => t.learningRate!)
    expect(Math.min(...rates)).toBeGreaterThanOrEqual(0.001)
    expect(Math.max(...rates)).toBeLessThanOrEqual(1)
    // Log-uniform: about a third of the draws in each decade [0.001, 0.01), [0.01, 0.1), [0.1, 1].
    const low = rates.filter((r) => r < 0.01).length / rates.length
    expect(low).toBeGreaterThan(0.25)
    expect(low).toBeLessThan(0.42)
    expect(new Set(trials.map((t) => t.maxDepth))).toEqual(new Set([3, 4, 5, 6, 7, 8]))
    expect(new Set(trials.map((t) => t.numTrees))).toEqual(new Set([50, 100]))
    expect(searchTrials('gbdt', { kind: 'random', space: { maxDepth: '3..8' } }, 0)).toHaveLength(
      10,
    )
  })
})
