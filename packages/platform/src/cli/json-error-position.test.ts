import { describe, expect, it } from 'vitest'
import { jsonErrorOffset } from './json-error-position.js'

describe('jsonErrorOffset', () => {
  it('is -1 for valid JSON and the offset of the first mistake otherwise', () => {
    expect(jsonErrorOffset('{"a": [1, -2.5e3, true, null, "x\\"y"], "b": {}}')).toBe(-1)
    const cases: Array<[string, number]> = [
      ['{"a": 1,}', 8],
      ['[1, 2,\n]', 7],
      ['{"a" 1}', 5],
      ['{"a": 01}', 7],
      ['{"a": "b', 8],
      ['{"a": tru}', 6],
      ['[1] x', 4],
      ['', 0],
    ]
    for (const [text, offset] of cases) expect(jsonErrorOffset(text), text).toBe(offset)
  })
})
