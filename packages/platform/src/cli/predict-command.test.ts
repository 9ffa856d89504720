import { copyFileSync, existsSync, readFileSync, writeFileSync } from 'node:fs'
import path from 'node:path'
import { fileURLToPath } from 'node:url'
import { DuckDBInstance } from '@duckdb/node-api'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { loadConfig } from '../config/index.js'
import { startServer } from '../http/server.js'
import { openRuntime } from '../runtime/open-runtime.js'
import { cliSandbox } from './test-support/run-cli.js'

const WEATHER = fileURLToPath(
  new URL('../../../../node_modules/vega-datasets/data/seattle-weather.csv', import.meta.url),
)
const COLUMNS = ['date', 'precipitation', 'temp_max', 'temp_min', 'wind', 'weather']
const CLASSES = ['drizzle', 'fog', 'rain', 'snow', 'sun']

interface PredictSummary {
  model: string
  version: number
  deployment: string | null
  input: string
  output: string
  rows: number
  columns: string[]
}

async function parquetRows(file: string): Promise<Record<string, unknown>[]> {
  const instance = await DuckDBInstance.create(':memory:')
  const connection = await instance.connect()
  try {
    const reader = await connection.runAndReadAll(
      `SELECT * FROM read_parquet('${file.replaceAll("'", "''")}')`,
    )
    return reader.getRowObjectsJS()
  } finally {
    connection.closeSync()
    instance.closeSync()
  }
}

describe('ballast predict', () => {
  const sandbox = cliSandbox()
  beforeAll(async () => {
    expect((await sandbox.run(['data', 'ingest', WEATHER, '--name', 'weather'])).code).toBe(0)
    const trained = await sandbox.run([
      'train',
      '--dataset',
      'weather@1',
      '--target',
      'weather',
      '--task',
      'classification',
      '--features',
      'date,precipitation,temp_max,temp_min,wind',
      '--param',
      'numTrees=10',
      '--register',
      'weather-gbdt',
      '--alias',
      'champion',
    ])
    expect(trained.code, trained.stderr).toBe(0)
    copyFileSync(WEATHER, path.join(sandbox.dir, 'weather.csv'))
  }, 120_000)
  afterAll(() => sandbox.dispose())

  it('scores a dataset version and the same rows from a CSV file alike, keeping every input column', async () => {
    const fromDataset = await sandbox.json<PredictSummary>([
      'predict',
      'weather-gbdt@champion',
      '--input',
      'weather@1',
      '--output',
      'scored.parquet',
    ])
    expect(fromDataset).toMatchObject({
      model: 'weather-gbdt',
      version: 1,
      deployment: null,
      input: 'weather@1',
      output: path.join(sandbox.dir, 'scored.parquet'),
      rows: 1461,
      columns: [...COLUMNS, 'prediction', ...CLASSES.map((c) => `probability_${c}`)],
    })
    const fromCsv = await sandbox.json<PredictSummary>([
      'predict',
      'weather-gbdt/1',
      '--input',
      'weather.csv',
      '--output',
      'scored-csv.parquet',
      '--batch-size',
      '100',
    ])
    expect(fromCsv.rows).toBe(1461)
    const a = await parquetRows(fromDataset.output)
    const b = await parquetRows(fromCsv.output)
    expect(b.map((r) => r.prediction)).toEqual(a.map((r) => r.prediction))
    expect(a[0]).toMatchObject({ precipitation: 0, temp_max: 12.8, weather: 'drizzle' })
    for (const row of a) {
      expect(CLASSES).toContain(row.prediction)
      const total = CLASSES.reduce((s, c) => s + (row[`probability_${c}`] as number), 0)
      expect(Math.abs(total - 1)).toBeLessThan(1e-5)
    }
    // Rain is easy from precipitation: the model gets most of the rows right.
    const right = a.filter((r) => r.prediction === r.weather).length
    expect(right / a.length).toBeGreaterThan(0.7)

    // Batches of 100 on two workers or on one thread: the same answers to the last bit.
    const scored = async (workers: string) => {
      const summary = await sandbox.json<PredictSummary>([
        'predict',
        'weather-gbdt/1',
        '--input',
        'weather@1',
        '--output',
        `workers-${workers}.parquet`,
        '--batch-size',
        '100',
        '--workers',
        workers,
      ])
      return parquetRows(summary.output)
    }
    const [one, two] = [await scored('1'), await scored('2')]
    expect(two).toEqual(one)
    expect(one).toEqual(b)
    const refused = await sandbox.run([
      'predict',
      'weather-gbdt/1',
      '--input',
      'weather@1',
      '--output',
      'x.parquet',
      '--workers',
      '0',
    ])
    expect(refused.code).toBe(2)
    expect(refused.stderr).toContain('--workers')
  }, 60_000)

  it('scores through a deployment, with its primary version', async () => {
    await sandbox.seed((ballast) =>
      ballast.request('POST', '/api/v1/deployments', {
        name: 'weather-live',
        model: 'weather-gbdt@champion',
      }),
    )
    const out = await sandbox.run([
      'predict',
      'weather-live',
      '--input',
      'weather',
      '--output',
      'live.parquet',
    ])
    expect(out.code, out.stderr).toBe(0)
    expect(out.stdout).toMatch(
      /^scored 1461 rows of weather@1 with weather-gbdt\/1 \(deployment weather-live\) in [\d.]+s \(\d+ rows\/s\)\nwrote .*live\.parquet\n$/,
    )
  }, 60_000)

  it('refuses a value of the wrong type by row and column, and an unknown deployment, writing nothing', async () => {
    const lines = readFileSync(WEATHER, 'utf8').split('\n')
    lines[2] = lines[2]!.replace(/^([^,]*),[^,]*,/, '$1,lots,')
    writeFileSync(path.join(sandbox.dir, 'bad.csv'), lines.join('\n'))
    const bad = await sandbox.run([
      'predict',
      'weather-gbdt@champion',
      '--input',
      'bad.csv',
      '--output',
      'bad.parquet',
    ])
    expect(bad.code).toBe(2)
    expect(bad.stderr).toBe(
      `error: bad.csv: row 2, column 'precipitation': expected a number, got "lots"\n`,
    )
    expect(existsSync(path.join(sandbox.dir, 'bad.parquet'))).toBe(false)

    const missing = await sandbox.run([
      'predict',
      'nowhere',
      '--input',
      'weather',
      '--output',
      'x.parquet',
    ])
    expect(missing.code).toBe(3)
    expect(missing.stderr).toBe(
      "error: deployment 'nowhere' not found; name a model version as MODEL@ALIAS or MODEL/VERSION\n",
    )
  })

  it('with --url, fetches the model and the dataset from the server and scores here alike', async () => {
    const local = await sandbox.json<PredictSummary>([
      'predict',
      'weather-gbdt/1',
      '--input',
      'weather',
      '--output',
      'local.parquet',
    ])
    const runtime = await openRuntime(
      loadConfig({ flags: { home: sandbox.home, 'log.level': 'warn' }, env: {}, cwd: sandbox.dir }),
    )
    const server = await startServer(runtime, { host: '127.0.0.1', port: 0, serving: false })
    try {
      const remote = await sandbox.run(
        [
          '--url',
          server.url,
          'predict',
          'weather-gbdt@champion',
          '--input',
          'weather@1',
          '--output',
          'remote.parquet',
          '--json',
        ],
        { home: false },
      )
      expect(remote.code, remote.stderr).toBe(0)
      const summary = JSON.parse(remote.stdout) as PredictSummary
      expect(summary).toMatchObject({ model: 'weather-gbdt', version: 1, rows: 1461 })
      expect(await parquetRows(summary.output)).toEqual(await parquetRows(local.output))
    } finally {
      await server.close()
    }
  }, 60_000)
})
