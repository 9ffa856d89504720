import { writeFileSync } from 'node:fs'
import path from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { DuckEngine } from '../data/index.js'
import { PredictionLog } from '../serving/index.js'
import { cliSandbox } from './test-support/run-cli.js'

const T0 = Date.UTC(2026, 10, 26, 12, 0, 0)
const iso = (ms: number) => new Date(ms).toISOString()

describe('ballast feedback | predictions export', () => {
  const sandbox = cliSandbox()
  let engine: DuckEngine

  beforeAll(async () => {
    engine = await DuckEngine.open({ threads: 1 })
    await sandbox.seed(async (_ballast, runtime) => {
      const log = new PredictionLog({
        store: runtime.store,
        artifacts: runtime.artifacts,
        flushIntervalMs: 0,
      })
      for (let i = 0; i < 5; i++) {
        log.append({
          requestId: `req-${i}`,
          deployment: 'churn',
          model: 'churn-model',
          version: 1,
          time: T0 + i * 1000,
          latencyMs: 3,
          inputs: `{"tenure":${i}}`,
          outputs: '{"prediction":"yes"}',
          shadow: i === 4,
        })
      }
      await log.close()
    })
    writeFileSync(
      path.join(sandbox.dir, 'labels.csv'),
      'request_id,label,note\r\nreq-1,no,"late, by mail"\r\nreq-3,yes,\r\n',
    )
    writeFileSync(
      path.join(sandbox.dir, 'labels.json'),
      JSON.stringify([{ request_id: 'req-3', label: 'no' }]),
    )
    writeFileSync(
      path.join(sandbox.dir, 'bad.json'),
      JSON.stringify([
        { request_id: 'req-0', label: 'no' },
        { request_id: '', label: 'no' },
      ]),
    )
  })
  afterAll(() => {
    engine.close()
    sandbox.dispose()
  })

  it('records labels from a CSV file', async () => {
    expect(await sandbox.run(['feedback', 'churn', '--file', 'labels.csv'])).toEqual({
      code: 0,
      stdout: 'recorded 2 labels for churn\n',
      stderr: '',
    })
  })

  it('records labels from a JSON file, replacing earlier ones (--json)', async () => {
    expect(await sandbox.json(['feedback', 'churn', '--file', 'labels.json'])).toEqual({
      deployment: 'churn',
      recorded: 1,
    })
  })

  it('refuses a bad item naming the file and the item (exit 2)', async () => {
    expect(await sandbox.run(['feedback', 'churn', '--file', 'bad.json'])).toEqual({
      code: 2,
      stdout: '',
      stderr:
        "error: bad.json: Invalid value for parameter 'feedback[1].request_id': expected a non-empty string\n",
    })
  })

  it('exports a time range joined with the labels', async () => {
    const result = await sandbox.run([
      'predictions',
      'export',
      'churn',
      '--from',
      iso(T0 + 1000),
      '--to',
      iso(T0 + 5000),
      '--output',
      'out.parquet',
    ])
    const file = path.join(sandbox.dir, 'out.parquet')
    expect(result).toEqual({
      code: 0,
      stdout: `wrote ${file} (3 predictions, 2 with a label)\n`,
      stderr: '',
    })
    expect(
      await engine.all(
        `SELECT request_id, epoch_ms(time) AS time_ms, shadow, label FROM read_parquet('${file}')`,
      ),
    ).toEqual([
      { request_id: 'req-1', time_ms: T0 + 1000, shadow: false, label: 'no' },
      { request_id: 'req-2', time_ms: T0 + 2000, shadow: false, label: null },
      { request_id: 'req-3', time_ms: T0 + 3000, shadow: false, label: 'no' },
    ])
  })

  it('adds the shadow answers with --include-shadow (--json)', async () => {
    const file = path.join(sandbox.dir, 'all.parquet')
    expect(
      await sandbox.json([
        'predictions',
        'export',
        'churn',
        '--include-shadow',
        '--output',
        'all.parquet',
      ]),
    ).toEqual({ output: file, rows: 5, labeled: 2 })
  })

  it('refuses a time it cannot read before asking the server (exit 2)', async () => {
    const result = await sandbox.run([
      'predictions',
      'export',
      'churn',
      '--from',
      'last week',
      '--output',
      'x.parquet',
    ])
    expect(result.code).toBe(2)
    expect(result.stderr).toBe(
      `error: Invalid value for parameter 'from': "last week"; expected an ISO-8601 time (2026-11-26T08:00:00Z) or epoch milliseconds\n`,
    )
  })
})
