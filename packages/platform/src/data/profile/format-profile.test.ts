import { describe, expect, it } from 'vitest'
import type { DatasetProfile } from '../dataset-types.js'
import { formatProfile } from './format-profile.js'

const PROFILE: DatasetProfile = {
  rowCount: 8,
  columns: [
    {
      name: 'delay',
      type: 'float',
      count: 6,
      missing: 2,
      distinct: 5,
      min: 1,
      max: 10,
      mean: 3.6666666666666665,
      std: 3.265986323710904,
      quantiles: { p1: 1.05, p5: 1.25, p25: 2, p50: 2.5, p75: 3.75, p95: 8.5, p99: 9.7 },
      top: [
        { value: '2.0', count: 2 },
        { value: '1.0', count: 1 },
      ],
      histogram: { edges: [1, 10], counts: [6] },
    },
    {
      name: 'when',
      type: 'datetime',
      count: 8,
      missing: 0,
      distinct: 2,
      min: '2001-01-01T00:00:00.000Z',
      max: '2001-01-02T00:00:00.000Z',
      mean: 978350400000,
      std: 46187451.3,
      quantiles: {
        p1: 978307200000,
        p5: 978307200000,
        p25: 978307200000,
        p50: 978350400000,
        p75: 978393600000,
        p95: 978393600000,
        p99: 978393600000,
      },
      top: [],
    },
    { name: 'origin', type: 'string', count: 0, missing: 8, distinct: 0, top: [] },
  ],
}

describe('formatProfile', () => {
  it('prints one row per column, then the top values', () => {
    expect(formatProfile(PROFILE)).toBe(
      [
        '8 rows, 3 columns',
        '',
        'column  type      count    missing  distinct                       min                       p50                       max     mean      std',
        '------  --------  -----  ---------  --------  ------------------------  ------------------------  ------------------------  -------  -------',
        'delay   float         6  2 (25.0%)         5                         1                       2.5                        10  3.66667  3.26599',
        'when    datetime      8     0 (0%)         2  2001-01-01T00:00:00.000Z  2001-01-01T12:00:00.000Z  2001-01-02T00:00:00.000Z',
        'origin  string        0   8 (100%)         0',
        '',
        'top values',
        '  delay: 2.0 (2), 1.0 (1)',
      ].join('\n'),
    )
  })
})
