import { describe, expect, it } from 'vitest'
import { parseTimeParameter } from './predictions.js'

describe('parseTimeParameter', () => {
  it.each([
    ['2026-11-26', Date.UTC(2026, 10, 26)],
    ['2026-11-26T08:30', Date.UTC(2026, 10, 26, 8, 30)],
    ['2026-11-26T08:30:15.250', Date.UTC(2026, 10, 26, 8, 30, 15, 250)],
    ['2026-11-26 08:30:00', Date.UTC(2026, 10, 26, 8, 30)],
    ['2026-11-26T08:30:00Z', Date.UTC(2026, 10, 26, 8, 30)],
    ['2026-11-26T08:30:00+02:00', Date.UTC(2026, 10, 26, 6, 30)],
    ['1795651200000', 1795651200000],
    ['0', 0],
  ])('%s → %d (UTC unless a zone is named)', (text, ms) => {
    expect(parseTimeParameter(text, 'from')).toBe(ms)
  })

  it.each(['yesterday', '2026-13-45', '26/11/2026', '', '1e3'])(
    'refuses %j naming the field',
    (text) => {
      expect(() => parseTimeParameter(text, 'to')).toThrow(
        `Invalid value for parameter 'to': ${JSON.stringify(text)}; expected an ISO-8601 time`,
      )
    },
  )
})
