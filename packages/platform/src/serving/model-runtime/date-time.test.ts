import { describe, expect, it } from 'vitest'
import { parseDateTime } from './date-time.js'

// Expected values from Python's datetime (timestamp() * 1000), an independent reference.
describe('parseDateTime', () => {
  it('reads ISO-8601 dates and date-times as UTC unless they carry an offset', () => {
    expect(parseDateTime('2004-02-29T23:00:00Z')).toBe(1078095600000)
    expect(parseDateTime('2004-02-29 23:00')).toBe(1078095600000)
    expect(parseDateTime('2004-02-29T23:00:00.000')).toBe(1078095600000)
    expect(parseDateTime('2015-01-01')).toBe(1420070400000)
    expect(parseDateTime('2015-06-01T12:30:15.123456-05:30')).toBe(1433181615123)
    expect(parseDateTime('2015-06-01T12:30:15.123-0530')).toBe(1433181615123)
    expect(parseDateTime('1969-07-20T20:17:00z')).toBe(-14182980000)
    expect(parseDateTime('0050-03-01')).toBe(-60584198400000)
  })

  it('refuses text that is not ISO-8601 or not on the calendar', () => {
    for (const text of [
      '',
      'yesterday',
      'March 7, 2015',
      '2015-02-29',
      '2015-04-31',
      '2015-00-10',
      '2015-01-01T24:00:00Z',
      '2015-01-01T10:60Z',
      '2015-01-01T10:00:00+25:00',
      '20150101',
      '2015-01-01T',
    ]) {
      expect(parseDateTime(text), text).toBeNaN()
    }
  })
})
