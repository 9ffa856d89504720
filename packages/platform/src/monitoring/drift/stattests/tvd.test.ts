import { describe, expect, it } from 'vitest'
import { LegacyRandomState } from '../math/legacy-random-state.js'
import { pythonOracle } from '../../../training/test-support/python-oracle.js'
import { categorySample } from '../test-support/evidently-oracle.js'
import { expectScoresMatch } from '../test-support/scenarios.js'

describe('TVD', () => {
  it("reproduces numpy's legacy permutations for seed 0, the stream continuing between them", () => {
    const random = new LegacyRandomState(0)
    const permutation = (n: number) => {
      const order = Int32Array.from({ length: n }, (_, i) => i)
      random.shuffle(order)
      return Array.from(order)
    }
    const ours = [permutation(50), permutation(70_000).slice(0, 20), permutation(3)]
    const expected = pythonOracle<number[][]>(
      `np.random.seed(0)
print(json.dumps([np.random.permutation(50).tolist(), np.random.permutation(70000)[:20].tolist(), np.random.permutation(3).tolist()]))`,
      null,
    )
    expect(ours).toEqual(expected)
  })

  it("matches Evidently's permutation p-value exactly", () => {
    const cases = [
      {
        type: 'cat' as const,
        ref: categorySample(120, ['a', 'b', 'c'], [3, 2, 1], 31),
        cur: categorySample(90, ['a', 'b', 'c'], [2, 2, 2], 32),
      },
      {
        type: 'cat' as const,
        ref: categorySample(80, ['a', 'b'], [1, 1], 33),
        cur: categorySample(100, ['a', 'b'], [1, 1], 34),
      },
    ]
    const scores = expectScoresMatch('TVD', cases, 0)
    expect(scores.every((s) => s >= 0 && s <= 1)).toBe(true)
  })
})
