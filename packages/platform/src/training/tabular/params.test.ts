import { describe, expect, it } from 'vitest'
import { parseParams } from './params.js'

describe('parseParams', () => {
  it('splits common settings from model parameters, with defaults', () => {
    expect(parseParams('gbdt', { numTrees: '50', learningRate: '0.05', folds: '5' })).toEqual({
      common: {
        testFraction: 0.2,
        validationFraction: null,
        seed: 0,
        folds: 5,
        maxCategories: 100,
      },
      model: { numTrees: 50, learningRate: 0.05 },
    })
  })

  it.each([
    ['gbdt', { numTrees: 'ten' }, "gbdt parameter 'numTrees' must be an integer; got 'ten'"],
    ['logistic', { lambda: '' }, "logistic parameter 'lambda' must be a number; got ''"],
    ['linear', { numTrees: '5' }, "unknown linear parameter 'numTrees'; expected one of lambda"],
    ['gbdt', { testFraction: '1' }, "parameter 'testFraction' must be in (0, 1); got 1"],
    ['gbdt', { folds: '1' }, "parameter 'folds' must be 0 (none) or >= 2; got 1"],
    ['gbdt', { maxCategories: '0' }, "parameter 'maxCategories' must be >= 1; got 0"],
  ] as const)('%s %o → %s', (algo, raw, message) => {
    expect(() => parseParams(algo, raw)).toThrow(message)
  })
})
