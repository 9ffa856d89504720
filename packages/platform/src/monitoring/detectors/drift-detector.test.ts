import { isAppError } from '@ballast/contracts'
import { describe, expect, it } from 'vitest'
import { detect } from './drift-detector.js'
import { Ddm } from './ddm.js'
import { PageHinkley } from './page-hinkley.js'

describe('detect', () => {
  it('returns the indices of warnings and drifts, continuing from the state the detector has', () => {
    const ph = new PageHinkley({ minInstances: 1, threshold: 1, delta: 0 })
    expect(detect(ph, [0, 0, 0, 5])).toEqual({ warnings: [], drifts: [3] })
    // The next value starts a fresh test, as after any drift.
    expect(detect(ph, [0])).toEqual({ warnings: [], drifts: [] })
  })

  it('rejects a non-finite value, naming its index', () => {
    let error: unknown
    try {
      detect(new Ddm(), Float64Array.from([0, 1, NaN]))
    } catch (e) {
      error = e
    }
    expect(isAppError(error) && error.code).toBe('INVALID_PARAMETER_VALUE')
    expect((error as Error).message).toBe('values[2] must be a finite number, got NaN')
  })
})
