import { describe, expect, it } from 'vitest'
import { formatEvery, parseEvery } from './monitor-every.js'

describe('parseEvery', () => {
  it('reads counts of predictions and durations', () => {
    expect(parseEvery('1000 predictions')).toEqual({ kind: 'predictions', count: 1000 })
    expect(parseEvery('500')).toEqual({ kind: 'predictions', count: 500 })
    expect(parseEvery(' 1 prediction'.replace('1', '10'))).toEqual({
      kind: 'predictions',
      count: 10,
    })
    expect(parseEvery('30s')).toEqual({ kind: 'time', ms: 30_000 })
    expect(parseEvery('15m')).toEqual({ kind: 'time', ms: 900_000 })
    expect(parseEvery('1h')).toEqual({ kind: 'time', ms: 3_600_000 })
    expect(parseEvery('1.5h')).toEqual({ kind: 'time', ms: 5_400_000 })
    expect(parseEvery('7d')).toEqual({ kind: 'time', ms: 604_800_000 })
  })

  it('refuses what is not a window, naming the parameter and the value', () => {
    expect(() => parseEvery('soon')).toThrow(/parameter 'every': 'soon'; expected a count/)
    expect(() => parseEvery('5 predictions')).toThrow(/holds 10 to 10000000 predictions/)
    expect(() => parseEvery('0s', 'window')).toThrow(/parameter 'window': '0s'; a window lasts/)
    expect(() => parseEvery('400d')).toThrow(/1s to 366d/)
  })

  it('formats what it reads back', () => {
    for (const text of ['1000 predictions', '1h', '90s', '15m', '2d']) {
      expect(formatEvery(parseEvery(text))).toBe(text)
    }
    expect(formatEvery({ kind: 'time', ms: 5_400_000 })).toBe('90m')
  })
})
