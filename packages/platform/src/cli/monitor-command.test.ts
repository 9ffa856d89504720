import { readFileSync, writeFileSync } from 'node:fs'
import path from 'node:path'
import { fileURLToPath } from 'node:url'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { DataDriftReport } from '../monitoring/index.js'
import { pythonOracle } from '../training/test-support/python-oracle.js'
import { cliSandbox } from './test-support/run-cli.js'

const WEATHER = fileURLToPath(
  new URL('../../../../node_modules/vega-datasets/data/seattle-weather.csv', import.meta.url),
)

describe('ballast monitor drift', () => {
  const sandbox = cliSandbox()
  afterAll(() => sandbox.dispose())
  const lines = readFileSync(WEATHER, 'utf8').trimEnd().split('\n')
  const year = (y: string) => [lines[0]!, ...lines.filter((l) => l.startsWith(`${y}-`))]

  beforeAll(() => {
    writeFileSync(path.join(sandbox.dir, 'weather-2012.csv'), `${year('2012').join('\n')}\n`)
    writeFileSync(path.join(sandbox.dir, 'weather-2015.csv'), `${year('2015').join('\n')}\n`)
  })
  const files = ['--reference', 'weather-2012.csv', '--current', 'weather-2015.csv']

  it("prints Evidently's report with the default test per column (--json)", async () => {
    const report = await sandbox.json<DataDriftReport>(['monitor', 'drift', ...files])
    expect(Object.keys(report.drift_by_columns)).toEqual([
      'precipitation',
      'temp_max',
      'temp_min',
      'wind',
      'weather',
    ])
    // 366 reference rows: ks for numbers, chisquare for the five weather kinds.
    expect(
      Object.values(report.drift_by_columns).map((c) => [c.column_type, c.stattest_name]),
    ).toEqual([
      ['num', 'ks'],
      ['num', 'ks'],
      ['num', 'ks'],
      ['num', 'ks'],
      ['cat', 'chisquare'],
    ])
    const weather = (y: string) =>
      year(y)
        .slice(1)
        .map((l) => l.split(',').at(-1)!)
    const expected = pythonOracle<number>(
      `from collections import Counter
from scipy import stats
r, c = Counter(data['ref']), Counter(data['cur'])
keys = sorted(set(r) | set(c))
print(json.dumps(stats.chisquare([c[k] for k in keys], [r[k] * len(data['cur']) / len(data['ref']) for k in keys])[1]))`,
      { ref: weather('2012'), cur: weather('2015') },
    )
    expect(report.drift_by_columns.weather!.drift_score).toBeCloseTo(expected, 12)
    expect(report.drift_by_columns.weather!.drift_detected).toBe(expected < 0.05)
    expect(report.number_of_columns).toBe(5)
    expect(report.share_of_drifted_columns).toBe(report.number_of_drifted_columns / 5)
    expect(report.dataset_drift).toBe(report.share_of_drifted_columns >= 0.5)
  })

  it('prints a table, takes tests and thresholds, and exits 0 when drift is found', async () => {
    const result = await sandbox.run([
      'monitor',
      'drift',
      ...files,
      '--columns',
      'temp_max,weather',
      '--stattest',
      'psi',
      '--per-column-stattest',
      'weather=jensenshannon',
      '--threshold',
      '0.01',
    ])
    expect(result.code).toBe(0)
    const [verdict, , header, ...rows] = result.stdout.trimEnd().split('\n')
    expect(verdict).toBe('drift detected: 2 of 2 columns drifted (drift share 0.5)')
    expect(header).toMatch(/^column\s+type\s+test\s+threshold\s+score\s+drift$/)
    expect(rows.map((r) => r.split(/\s+/).slice(0, 4))).toEqual([
      ['temp_max', 'num', 'psi', '0.01'],
      ['weather', 'cat', 'jensenshannon', '0.01'],
    ])
  })

  it('writes a self-contained HTML page with every column', async () => {
    const result = await sandbox.run(['monitor', 'drift', ...files, '--html', 'drift.html'])
    expect(result.code).toBe(0)
    expect(result.stderr).toBe('wrote drift.html\n')
    const html = readFileSync(path.join(sandbox.dir, 'drift.html'), 'utf8')
    for (const column of ['precipitation', 'temp_max', 'temp_min', 'wind', 'weather'])
      expect(html).toContain(`>${column}</h2>`)
    expect(html.match(/<svg /g)).toHaveLength(5)
    expect(html).not.toMatch(/<script|<link|<img/i)
    expect(html.replaceAll('http://www.w3.org/2000/svg', '')).not.toMatch(/https?:\/\//)
  })

  it('reads stored dataset versions as well as files', async () => {
    const ingest = await sandbox.run([
      'data',
      'ingest',
      path.join(sandbox.dir, 'weather-2012.csv'),
      '--name',
      'weather',
    ])
    expect(ingest.code).toBe(0)
    const fromFile = await sandbox.json<DataDriftReport>(['monitor', 'drift', ...files])
    const fromDataset = await sandbox.json<DataDriftReport>([
      'monitor',
      'drift',
      '--reference',
      'weather@1',
      '--current',
      'weather-2015.csv',
    ])
    expect(fromDataset).toEqual(fromFile)
  })

  it.each([
    [['--columns', 'temp_max,humidity'], 'error: column humidity is not in the reference data\n'],
    [['--stattest', 'nope'], 'error: unknown stattest nope (available: '],
    [['--cat-stattest', 'ks'], 'error: stattest ks does not apply to cat column weather\n'],
  ])('exits 2 naming the unknown column or test (%j)', async (extra, message) => {
    const result = await sandbox.run(['monitor', 'drift', ...files, ...extra])
    expect(result.code).toBe(2)
    expect(result.stderr.startsWith(message)).toBe(true)
  })
})
