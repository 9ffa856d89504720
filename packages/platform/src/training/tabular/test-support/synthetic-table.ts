import { seededRandom } from '../../random.js'
import type { TabularTable } from '../types.js'

const CATEGORIES = ['red', 'green', 'blue', 'amber']

/**
 * A seeded table of every column type with missing values: x (float), n (integer), flag
 * (boolean), color (string), when (datetime with hours, 2001–2010), and targets `y` (a number),
 * `kind` (3 classes) and `hit` (integer 0/1), all driven by x and color.
 */
export function syntheticTable(rows: number, seed: number): TabularTable {
  const rng = seededRandom(seed)
  const x = new Float64Array(rows)
  const n = new Float64Array(rows)
  const flag = new Float64Array(rows)
  const color: (string | null)[] = []
  const when = new Float64Array(rows)
  const y = new Float64Array(rows)
  const kind: (string | null)[] = []
  const hit = new Float64Array(rows)
  const start = Date.parse('2001-01-01T00:00:00Z')
  for (let i = 0; i < rows; i++) {
    x[i] = rng() < 0.1 ? Number.NaN : rng() * 10 - 5
    n[i] = Math.floor(rng() * 20)
    flag[i] = rng() < 0.05 ? Number.NaN : rng() < 0.5 ? 1 : 0
    color.push(rng() < 0.1 ? null : CATEGORIES[Math.floor(rng() * CATEGORIES.length)]!)
    when[i] = rng() < 0.05 ? Number.NaN : start + Math.floor(rng() * 3650 * 24) * 3_600_000
    const effect = color[i] === 'red' ? 3 : color[i] === 'blue' ? -2 : 0
    const xi = Number.isNaN(x[i]!) ? 0 : x[i]!
    y[i] = 2 * xi + effect + (flag[i] === 1 ? 1 : 0) + rng() * 0.5
    const score = xi + effect + rng() * 2 - 1
    kind.push(rng() < 0.02 ? null : score < -1.5 ? 'low' : score < 1.5 ? 'mid' : 'high')
    hit[i] = score > 0 ? 1 : 0
  }
  return {
    rowCount: rows,
    columns: [
      { name: 'x', type: 'float', values: x },
      { name: 'n', type: 'integer', values: n },
      { name: 'flag', type: 'boolean', values: flag },
      { name: 'color', type: 'string', values: color },
      { name: 'when', type: 'datetime', values: when },
      { name: 'y', type: 'float', values: y },
      { name: 'kind', type: 'string', values: kind },
      { name: 'hit', type: 'integer', values: hit },
    ],
  }
}

/** Rows a model never saw: an unknown color, missing values, a missing date, an empty string. */
export function unusualRows(): TabularTable {
  return {
    rowCount: 5,
    columns: [
      { name: 'x', type: 'float', values: Float64Array.of(Number.NaN, 1.5, -4, 100, 0) },
      { name: 'n', type: 'integer', values: Float64Array.of(3, Number.NaN, 7, 19, 0) },
      { name: 'flag', type: 'boolean', values: Float64Array.of(1, 0, Number.NaN, 1, 0) },
      { name: 'color', type: 'string', values: ['violet', null, 'red', '', 'blue'] },
      {
        name: 'when',
        type: 'datetime',
        values: Float64Array.of(
          Date.parse('2004-02-29T23:00:00Z'),
          Number.NaN,
          Date.parse('1969-07-20T20:17:00Z'),
          Date.parse('2031-01-01T05:00:00Z'),
          0,
        ),
      },
    ],
  }
}
