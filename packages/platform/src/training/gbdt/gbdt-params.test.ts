import { describe, expect, it } from 'vitest'
import { GBDT_DEFAULTS, resolveGbdtParams } from './gbdt-params.js'

describe('resolveGbdtParams: maxCatThreshold', () => {
  it('defaults to 32, as LightGBM does', () => {
    expect(GBDT_DEFAULTS.maxCatThreshold).toBe(32)
    expect(resolveGbdtParams({ objective: 'binary' }, 2).maxCatThreshold).toBe(32)
    expect(resolveGbdtParams({ objective: 'binary', maxCatThreshold: 1 }, 2).maxCatThreshold).toBe(
      1,
    )
  })

  it('refuses a value that is not an integer >= 1, naming the parameter', () => {
    for (const bad of [0, -3, 2.5, NaN]) {
      expect(() => resolveGbdtParams({ objective: 'binary', maxCatThreshold: bad }, 2)).toThrow(
        `GBDT parameter 'maxCatThreshold' must be an integer >= 1; got ${bad}`,
      )
    }
  })
})
