import { describe, expect, it } from 'vitest'
import { pythonOracle } from '../../../training/test-support/python-oracle.js'
import { erfc, incompleteBeta, logGamma, normalSf, studentTTwoSidedP } from './special-functions.js'
import { expectRelClose } from './test-support/numeric-samples.js'

describe('special functions', () => {
  it('match scipy.special on a grid', () => {
    const xs = [-3, -0.5, 0, 0.1, 0.7, 1.2, 1.3, 2, 5, 10, 26]
    const gammas = [0.1, 0.5, 1, 2.5, 10, 171.3, 5e4, 2.5e5]
    const betas: [number, number, number][] = [
      [0.5, 0.5, 0.3],
      [2, 3, 0.9],
      [50, 0.5, 0.999],
      [5e4, 0.5, 0.9999],
      [2.5e5, 0.5, 0.99999],
      [10, 20, 0.01],
    ]
    const ts: [number, number][] = [
      [0.1, 3],
      [2.5, 10],
      [-4, 100],
      [1.3, 350000],
      [8, 350000],
    ]
    const expected = pythonOracle<{
      erfc: number[]
      lgamma: number[]
      beta: number[]
      t: number[]
    }>(
      `from scipy import special, stats
print(json.dumps({
  'erfc': [float(special.erfc(x)) for x in data['xs']],
  'lgamma': [float(special.gammaln(x)) for x in data['gammas']],
  'beta': [float(special.betainc(a, b, x)) for a, b, x in data['betas']],
  't': [float(2 * stats.t.sf(abs(t), df)) for t, df in data['ts']],
}))`,
      { xs, gammas, betas, ts },
    )
    xs.forEach((x, i) => expectRelClose(erfc(x), expected.erfc[i] as number, 1e-13, `erfc ${x}`))
    gammas.forEach((x, i) =>
      expectRelClose(logGamma(x), expected.lgamma[i] as number, 1e-13, `lgamma ${x}`, 1e-15),
    )
    betas.forEach(([a, b, x], i) =>
      expectRelClose(incompleteBeta(a, b, x), expected.beta[i] as number, 1e-9, `betainc ${a}`),
    )
    ts.forEach(([t, df], i) =>
      expectRelClose(studentTTwoSidedP(t, df), expected.t[i] as number, 1e-9, `t ${t} ${df}`),
    )
  })

  it('normalSf is exact at the centre and at the infinities', () => {
    expect(normalSf(0)).toBe(0.5)
    expect(normalSf(Infinity)).toBe(0)
    expect(normalSf(-Infinity)).toBe(1)
  })
})
