import { describe, it } from 'vitest'
import { pythonOracle } from '../../../training/test-support/python-oracle.js'
import { kolmogorovSmirnovSf } from './kolmogorov-smirnov-distribution.js'
import { expectRelClose } from './test-support/numeric-samples.js'

describe('kolmogorovSmirnovSf', () => {
  it("matches scipy's kstwo.sf across every method branch", () => {
    // (n, x) pairs reaching Ruben–Gambino, Durbin, Pomeranz, Pelz–Good and the Smirnov sum.
    const cases: [number, number][] = []
    for (const n of [1, 2, 5, 10, 30, 100, 140, 141, 500, 5000, 50000, 100001]) {
      for (const z of [0.3, 0.6, 0.8, 0.9, 1.0, 1.2, 1.5, 1.8, 2.2, 3, 5, 10]) {
        const x = z / Math.sqrt(n)
        if (x < 1) cases.push([n, x])
      }
      cases.push([n, 0.7 / n], [n, 0.999], [n, 0.5], [n, 0.75])
    }
    const expected = pythonOracle<number[]>(
      `from scipy.stats import kstwo
print(json.dumps([float(kstwo.sf(x, n)) for n, x in data]))`,
      cases,
    )
    cases.forEach(([n, x], i) => {
      expectRelClose(kolmogorovSmirnovSf(n, x), expected[i] as number, 1e-8, `n=${n} x=${x}`)
    })
  })
})
