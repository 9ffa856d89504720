import { describe, expect, it } from 'vitest'
import {
  SEARCH_MAX_RESULTS_DEFAULT,
  SEARCH_MAX_RESULTS_THRESHOLD,
  decodePageToken,
  encodePageToken,
  resolveMaxResults,
} from './page-token.js'

describe('page tokens', () => {
  it('round-trips an offset through an opaque base64url token', () => {
    const token = encodePageToken(2000)
    expect(token).toMatch(/^[A-Za-z0-9_-]+$/)
    expect(JSON.parse(Buffer.from(token, 'base64url').toString())).toMatchObject({ offset: 2000 })
    expect(decodePageToken(token)).toBe(2000)
  })

  it('starts at 0 without a token', () => {
    expect(decodePageToken(undefined)).toBe(0)
    expect(decodePageToken('')).toBe(0)
  })

  it('rejects a token whose offset was edited', () => {
    const original = JSON.parse(Buffer.from(encodePageToken(1000), 'base64url').toString())
    const edited = Buffer.from(JSON.stringify({ ...original, offset: 5000 })).toString('base64url')
    expect(() => decodePageToken(edited)).toThrow(
      `Invalid page_token '${edited}': it was not issued by this search`,
    )
  })

  it.each([
    ['not base64', 'a b c'],
    ['not JSON', Buffer.from('{offset').toString('base64url')],
    ['MLflow style without a check', Buffer.from('{"offset": 10}').toString('base64url')],
    ['negative offset', Buffer.from('{"offset": -1, "check": "x"}').toString('base64url')],
    ['truncated', encodePageToken(1000).slice(0, -3)],
  ])('rejects a token that is %s', (_, token) => {
    expect(() => decodePageToken(token)).toThrow(
      expect.objectContaining({
        code: 'INVALID_PARAMETER_VALUE',
        message: expect.stringContaining(`Invalid page_token '${token}'`),
      }),
    )
  })
})

describe('resolveMaxResults', () => {
  it("uses MLflow's default and limit", () => {
    expect(SEARCH_MAX_RESULTS_DEFAULT).toBe(1000)
    expect(SEARCH_MAX_RESULTS_THRESHOLD).toBe(50000)
    expect(resolveMaxResults(undefined)).toBe(1000)
    expect(resolveMaxResults(50000)).toBe(50000)
    expect(resolveMaxResults(1)).toBe(1)
  })

  it.each([
    [50001, "Invalid value 50001 for parameter 'max_results': it must be at most 50000"],
    [0, "Invalid value 0 for parameter 'max_results': it must be a positive integer"],
    [-5, "Invalid value -5 for parameter 'max_results': it must be a positive integer"],
    [2.5, "Invalid value 2.5 for parameter 'max_results': it must be a positive integer"],
  ])('rejects %d', (value, message) => {
    expect(() => resolveMaxResults(value)).toThrow(message)
  })
})
