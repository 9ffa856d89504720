import { describe, expect, it } from 'vitest'
import { seededRandom } from '../random.js'
import { pythonOracle } from '../test-support/python-oracle.js'
import { rocAuc, rocAucOvr } from './roc-auc.js'

describe('rocAuc', () => {
  it('counts tied scores as half (midranks)', () => {
    // Pairs (pos, neg): (0.8, 0.3) 1, (0.8, 0.8) ½, (0.4, 0.3) 1, (0.4, 0.8) 0 → 2.5 / 4.
    expect(rocAuc([1, 0, 1, 0], [0.8, 0.3, 0.4, 0.8])).toBe(0.625)
    expect(rocAuc([0, 0, 1, 1], [1, 2, 3, 4])).toBe(1)
    expect(rocAuc([1, 1, 0, 0], [5, 5, 5, 5])).toBe(0.5)
  })

  it('agrees with scipy.stats.rankdata on many ties', () => {
    const rng = seededRandom(3)
    const y = Array.from({ length: 500 }, () => (rng() < 0.3 ? 1 : 0))
    const s = y.map((v) => Math.round((rng() + v * 0.4) * 20) / 20)
    const ref = pythonOracle<number>(
      `from scipy.stats import rankdata
y = np.array(data['y']); r = rankdata(data['s']); P = y.sum(); N = len(y) - P
print(json.dumps(float((r[y == 1].sum() - P * (P + 1) / 2) / (P * N))))`,
      { y, s },
    )
    expect(rocAuc(y, s)).toBeCloseTo(ref, 14)
  })

  it('macro one-vs-rest for multiclass', () => {
    const y = [0, 1, 2, 0]
    const probs = [0.6, 0.3, 0.1, 0.2, 0.7, 0.1, 0.3, 0.3, 0.4, 0.1, 0.2, 0.7]
    // class 0 scores [0.6, 0.2, 0.3, 0.1] pos {0.6, 0.1}: 2/4; class 1 [0.3, 0.7, 0.3, 0.2]: 1;
    // class 2 [0.1, 0.1, 0.4, 0.7] pos {0.4}: 2/3.
    expect(rocAucOvr(y, probs, 3)).toBeCloseTo((0.5 + 1 + 2 / 3) / 3, 15)
  })

  it('refuses labels of one class', () => {
    expect(() => rocAuc([1, 1], [0.2, 0.3])).toThrow('rocAuc: labels must contain both classes')
  })
})
