import { execFileSync } from 'node:child_process'
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import path from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { ColumnProfile, DatasetProfile } from '../dataset-types.js'
import { DuckEngine, quoteLiteral } from '../duckdb/duck-engine.js'
import { profileDataset } from './profile-dataset.js'
import { writeParquet } from './test-support/parquet-fixture.js'

/**
 * The profile checked against numpy, an independent implementation: the same seeded rows (with
 * NULLs, NaN, heavy ties and datetimes) go to DuckDB as Parquet and to python3 as CSV text.
 */
const ROWS = 4000
const DAY0 = Date.UTC(2001, 0, 1)

const ORACLE = `
import csv, json, sys
from collections import Counter
from datetime import datetime, timedelta
import numpy as np

rows = list(csv.DictReader(sys.stdin))
epoch = datetime(1970, 1, 1)
def ms(text):
    return (datetime.fromisoformat(text) - epoch) // timedelta(milliseconds=1)
columns = {
    'x': [None if r['x'] == '' else float(r['x']) for r in rows],
    'k': [None if r['k'] == '' else int(r['k']) for r in rows],
    't': [None if r['t'] == '' else ms(r['t']) for r in rows],
}
out = {}
for name, values in columns.items():
    present = [v for v in values if v is not None and not (isinstance(v, float) and np.isnan(v))]
    a = np.array(present, dtype=np.float64)
    counts, edges = np.histogram(a, bins=20)
    top = sorted(Counter(present).items(), key=lambda kv: (-kv[1], kv[0]))[:10]
    out[name] = {
        'count': len(present), 'missing': len(values) - len(present), 'distinct': len(set(present)),
        'min': float(a.min()), 'max': float(a.max()), 'mean': float(a.mean()),
        'std': float(a.std(ddof=1)),
        'quantiles': [float(q) for q in np.percentile(a, [1, 5, 25, 50, 75, 95, 99])],
        'edges': [float(e) for e in edges], 'counts': [int(c) for c in counts],
        'top': [[str(v), c] for v, c in top],
    }
print(json.dumps(out))
`

interface Oracle {
  count: number
  missing: number
  distinct: number
  min: number
  max: number
  mean: number
  std: number
  quantiles: number[]
  edges: number[]
  counts: number[]
  top: [string, number][]
}

/** mulberry32: a small seeded generator, so that a failure can be reproduced. */
function random(seed: number): () => number {
  let a = seed
  return () => {
    a = (a + 0x6d2b79f5) | 0
    let t = Math.imul(a ^ (a >>> 15), 1 | a)
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296
  }
}

function seededCsv(): string {
  const next = random(20261126)
  const lines = ['x,k,t']
  for (let i = 0; i < ROWS; i++) {
    const u = next()
    const normal = Math.sqrt(-2 * Math.log(1 - next())) * Math.cos(2 * Math.PI * next())
    const x = u < 0.05 ? '' : u < 0.08 ? 'nan' : String(normal * 12.5 + 3)
    const k = next() < 0.04 ? '' : String(Math.floor(next() * 40) - 10)
    const when = new Date(DAY0 + Math.floor(next() * 180 * 86_400_000)).toISOString()
    const t = next() < 0.02 ? '' : when.slice(0, 23).replace('T', ' ')
    lines.push(`${x},${k},${t}`)
  }
  return `${lines.join('\n')}\n`
}

function expectClose(actual: number | undefined, expected: number, what: string): void {
  expect(actual, what).toBeTypeOf('number')
  const error = Math.abs(actual! - expected) / Math.max(Math.abs(expected), 1e-300)
  expect(error, `${what}: ${actual} vs numpy ${expected}`).toBeLessThanOrEqual(1e-9)
}

let engine: DuckEngine
let dir: string
let profile: DatasetProfile
let oracle: Record<string, Oracle>

beforeAll(async () => {
  engine = await DuckEngine.open({ threads: 1 })
  dir = mkdtempSync(path.join(tmpdir(), 'ballast-profile-oracle-'))
  const csv = seededCsv()
  const csvFile = path.join(dir, 'rows.csv')
  writeFileSync(csvFile, csv)
  const [parquetFile, schema] = await writeParquet(
    engine,
    dir,
    'rows',
    `SELECT * FROM read_csv(${quoteLiteral(csvFile)}, header = true,
       columns = {'x': 'DOUBLE', 'k': 'BIGINT', 't': 'TIMESTAMP'})`,
  )
  profile = await profileDataset(engine, parquetFile, schema)
  oracle = JSON.parse(execFileSync('python3', ['-c', ORACLE], { input: csv }).toString()) as Record<
    string,
    Oracle
  >
})

afterAll(() => {
  engine.close()
  rmSync(dir, { recursive: true, force: true })
})

describe('profileDataset against numpy', () => {
  it.each(['x', 'k', 't'])('column %s agrees with numpy', (name) => {
    const column = profile.columns.find((c) => c.name === name) as ColumnProfile
    const expected = oracle[name]!
    expect(profile.rowCount).toBe(ROWS)
    expect([column.count, column.missing, column.distinct]).toEqual([
      expected.count,
      expected.missing,
      expected.distinct,
    ])
    if (column.type === 'datetime') {
      expect(column.min).toBe(new Date(expected.min).toISOString())
      expect(column.max).toBe(new Date(expected.max).toISOString())
    } else {
      expect([column.min, column.max]).toEqual([expected.min, expected.max])
    }
    expectClose(column.mean, expected.mean, 'mean')
    expectClose(column.std, expected.std, 'std')
    const quantiles = Object.values(column.quantiles ?? {})
    expect(quantiles).toHaveLength(7)
    quantiles.forEach((q, i) => expectClose(q, expected.quantiles[i]!, `quantile ${i}`))
    // The edges are computed as numpy computes them, so they agree to the last bit.
    expect(column.histogram).toEqual({ edges: expected.edges, counts: expected.counts })
    if (name === 'k') expect(column.top.map((t) => [t.value, t.count])).toEqual(expected.top)
  })

  it('is plain JSON: no bigint, NaN or Infinity anywhere', () => {
    expect(JSON.parse(JSON.stringify(profile))).toEqual(profile)
  })

  it('sees NULL and NaN as missing in the float column', () => {
    const x = profile.columns.find((c) => c.name === 'x')
    expect(x?.missing).toBeGreaterThan(250)
    expect(x?.missing).toBe(oracle.x!.missing)
  })
})
