import { writeFileSync } from 'node:fs'
import path from 'node:path'
import type { IngestDatasetResponse } from '@ballast/contracts'
import { afterAll, describe, expect, it } from 'vitest'
import { VEGA_DATA } from '../data/test-support/open-test-data.js'
import { runCli } from './main.js'
import { cliSandbox } from './test-support/run-cli.js'

const WEATHER = path.join(VEGA_DATA, 'seattle-weather.csv')

describe('ballast data', () => {
  const sandbox = cliSandbox()
  afterAll(() => sandbox.dispose())
  const file = (name: string, content: string) => {
    const p = path.join(sandbox.dir, name)
    writeFileSync(p, content)
    return p
  }

  it('ingests a file as version 1, and the same file again as the existing version', async () => {
    const first = await sandbox.run(['data', 'ingest', WEATHER, '--name', 'weather'])
    expect(first.code).toBe(0)
    expect(first.stdout).toMatch(
      /^ingested seattle-weather\.csv as weather@1: 1461 rows, 6 columns, sha256 [0-9a-f]{12}\n$/,
    )
    const again = await sandbox.json<IngestDatasetResponse>([
      'data',
      'ingest',
      WEATHER,
      '--name',
      'weather',
    ])
    expect(again.existing).toBe(true)
    expect(again.version).toMatchObject({ name: 'weather', version: 1, row_count: 1461 })
  })

  it('applies --where before the upload; the filtered rows become the next version', async () => {
    const result = await sandbox.json<IngestDatasetResponse>([
      'data',
      'ingest',
      WEATHER,
      '--name',
      'weather',
      '--where',
      "weather = 'snow'",
    ])
    expect(result.version).toMatchObject({
      version: 2,
      row_count: 26,
      source: 'seattle-weather.csv',
    })
    const again = await sandbox.json<IngestDatasetResponse>([
      'data',
      'ingest',
      WEATHER,
      '--name',
      'weather',
      '--where',
      "weather = 'snow'",
    ])
    expect(again).toMatchObject({ existing: true, version: { version: 2 } })
  })

  it('lists, shows, prints versions and the head as tables', async () => {
    const list = await sandbox.run(['data', 'list'])
    expect(list.stdout.split('\n')[0]).toBe(
      'NAME     VERSIONS  LATEST  ROWS  COLUMNS  SOURCE               UPDATED',
    )
    expect(list.stdout.split('\n')[1]).toMatch(
      /^weather {2}2 +2 +26 +6 +seattle-weather\.csv +\d{4}-/,
    )
    const versions = await sandbox.run(['data', 'versions', 'weather'])
    expect(
      versions.stdout
        .split('\n')
        .slice(1, 3)
        .map((l) => l.split(/\s+/).slice(0, 3)),
    ).toEqual([
      ['2', '26', '6'],
      ['1', '1461', '6'],
    ])
    const head = await sandbox.run(['data', 'head', 'weather@1', '-n', '2'])
    expect(head.stdout).toBe(
      'date        precipitation  temp_max  temp_min  wind  weather\n' +
        '2012-01-01  0              12.8      5         4.7   drizzle\n' +
        '2012-01-02  10.9           10.6      2.8       4.5   rain\n',
    )
    const show = await sandbox.run(['data', 'show', 'weather'])
    expect(show.code).toBe(0)
    expect(show.stdout).toContain('no runs used these versions\n')
  })

  it('shows the runs that logged a version (lineage)', async () => {
    const runId = await sandbox.seed(async (ballast) => {
      const { version } = await ballast.request<{
        version: { name: string; version: number; digest: string }
      }>('GET', '/api/v1/datasets/weather/versions/1')
      const run = await ballast.startRun({ experiment: 'forecast', name: 'gbdt' })
      await run.logInput(version, { context: 'training' })
      await run.end()
      return run.id
    })
    const show = await sandbox.run(['data', 'show', 'weather'])
    const runLine = show.stdout.split('\n').find((l) => l.includes(runId))
    expect(runLine).toMatch(new RegExp(`^1 +${runId} +gbdt +\\d+ +FINISHED +training$`))
  })

  it('prints the stored profile, as a table and as JSON', async () => {
    const table = await sandbox.run(['data', 'profile', 'weather@1'])
    expect(table.code).toBe(0)
    expect(table.stdout.split('\n')[0]).toBe('weather@1: 1461 rows, 6 columns')
    expect(table.stdout).toMatch(/\nweather +string +1461 +0 \(0%\) +5\n/)
    const json = await sandbox.json<{
      name: string
      version: number
      profile: { rowCount: number }
    }>(['data', 'profile', 'weather'])
    expect(json).toMatchObject({ name: 'weather', version: 2, profile: { rowCount: 26 } })
  })

  it('refuses to publish data that fails --suite: exit 1, and says where the rows went', async () => {
    const suite = file(
      'suite.json',
      JSON.stringify({
        name: 'weather-kinds',
        expectations: [
          {
            expectation_type: 'expect_column_values_to_be_in_set',
            kwargs: { column: 'weather', value_set: ['rain', 'sun', 'drizzle', 'fog'] },
          },
        ],
      }),
    )
    const result = await sandbox.run([
      'data',
      'ingest',
      WEATHER,
      '--name',
      'gated',
      '--suite',
      suite,
    ])
    expect(result.code).toBe(1)
    expect(result.stderr).toMatch(
      /^error: seattle-weather\.csv failed suite 'weather-kinds' \(1 of 1 expectations: expect_column_values_to_be_in_set\(weather\)\) and was not published; its 26 failing rows are quarantined in the artifact store as blob [0-9a-f]{64}\n$/,
    )
    expect((await sandbox.run(['data', 'show', 'gated'])).code).toBe(3)
    const badSuite = file(
      'bad-suite.json',
      '{"expectations": [{"expectation_type": "expect_magic"}]}',
    )
    const refused = await sandbox.run([
      'data',
      'ingest',
      WEATHER,
      '--name',
      'gated',
      '--suite',
      badSuite,
    ])
    expect(refused.code).toBe(2)
    expect(refused.stderr).toMatch(/^error: .*bad-suite\.json: /)
  })

  it('fails with exit 2 and file:line for a bad file, and 3 for an unknown dataset or version', async () => {
    const ragged = file('ragged.csv', 'a,b\n1,2\n3,4,5\n')
    const bad = await sandbox.run(['data', 'ingest', ragged, '--name', 'bad'])
    expect(bad).toMatchObject({
      code: 2,
      stderr: 'error: ragged.csv:3: expected 2 columns, found 3\n',
    })
    const good = file('good.csv', 'a,b\n1,2\n')
    const where = await sandbox.run([
      'data',
      'ingest',
      good,
      '--name',
      'bad',
      '--where',
      'a > 1; drop table x',
    ])
    expect(where.code).toBe(2)
    expect(where.stderr).toBe(
      `error: invalid where "a > 1; drop table x": ';' is not allowed: give one predicate\n`,
    )
    const filtered = await sandbox.run([
      'data',
      'ingest',
      ragged,
      '--name',
      'bad',
      '--where',
      'a > 1',
    ])
    expect(filtered).toMatchObject({
      code: 2,
      stderr: 'error: ragged.csv:3: expected 2 columns, found 3\n',
    })
    const missing = await sandbox.run(['data', 'show', 'bad'])
    expect(missing).toMatchObject({ code: 3, stderr: "error: dataset 'bad' does not exist\n" })
    const noVersion = await sandbox.run(['data', 'head', 'weather@9'])
    expect(noVersion).toMatchObject({
      code: 3,
      stderr: "error: dataset 'weather' has no version 9\n",
    })
    const badRef = await sandbox.run(['data', 'profile', 'weather@x'])
    expect(badRef.code).toBe(2)
    expect(badRef.stderr).toBe(
      `error: invalid dataset version "x": expected a version number (1, 2, …) or 'latest'\n`,
    )
    const noFile = await sandbox.run([
      'data',
      'ingest',
      path.join(sandbox.dir, 'none.csv'),
      '--name',
      'x',
    ])
    expect(noFile.code).toBe(2)
    expect(noFile.stderr).toContain("error: cannot read '")
  })

  it('shows a progress bar of the bytes sent for a large file on a terminal', async () => {
    const rows = Array.from({ length: 600_000 }, (_, i) => `${i},${i % 97}`).join('\n')
    const big = file('big.csv', `id,group\n${rows}\n`)
    let stderr = ''
    let stdout = ''
    const code = await runCli(['data', 'ingest', big, '--name', 'big', '--home', sandbox.home], {
      stdout: { write: (text: string) => (stdout += text) },
      stderr: Object.assign({ write: (text: string) => (stderr += text) }, { isTTY: true }),
      env: {},
      cwd: sandbox.dir,
    })
    expect(code).toBe(0)
    expect(stdout).toMatch(/^ingested big\.csv as big@1: 600000 rows, 2 columns/)
    expect(stderr).toMatch(/uploading .* 100% \| 5827039\/5827039 bytes/)
  })
})
