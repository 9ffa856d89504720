import { fileURLToPath } from 'node:url'
import type { JobRecord, TrainingResult } from '@ballast/contracts'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { cliSandbox } from './test-support/run-cli.js'
import { trainingRequestFrom } from './train-command.js'

const WEATHER = fileURLToPath(
  new URL('../../../../node_modules/vega-datasets/data/seattle-weather.csv', import.meta.url),
)

describe('ballast train', () => {
  const sandbox = cliSandbox()
  beforeAll(async () => {
    const ingested = await sandbox.run(['data', 'ingest', WEATHER, '--name', 'weather'])
    expect(ingested.code).toBe(0)
  })
  afterAll(() => sandbox.dispose())

  it('trains in its own process when nothing serves the home, tracks the run and registers the model', async () => {
    const out = await sandbox.json<{ job: JobRecord; result: TrainingResult }>([
      'train',
      '--dataset',
      'weather@1',
      '--target',
      'weather',
      '--task',
      'classification',
      '--algo',
      'gbdt',
      '--param',
      'numTrees=30',
      '--split-by',
      'date',
      '--test-after',
      '2015-01-01',
      '--experiment',
      'weather',
      '--register',
      'weather-gbdt',
      '--alias',
      'champion',
    ])
    expect(out.job.status).toBe('succeeded')
    expect(out.job.kind).toBe('train')
    const r = out.result
    expect(r.dataset).toMatchObject({ name: 'weather', version: 1 })
    expect(r.test_rows).toBe(365)
    expect(r.metrics.test_accuracy).toBeGreaterThan(0.7)
    expect(r.model).toEqual({ name: 'weather-gbdt', version: '1', alias: 'champion' })

    const run = await sandbox.json<{
      run: {
        info: { status: string; experiment_id: string }
        data: { params: { key: string; value: string }[]; metrics: { key: string }[] }
        inputs: { dataset_inputs: { dataset: { name: string } }[] }
      }
    }>(['runs', 'show', r.run_id])
    expect(run.run.info.status).toBe('FINISHED')
    const params = Object.fromEntries(run.run.data.params.map((p) => [p.key, p.value]))
    expect(params).toMatchObject({
      algo: 'gbdt',
      task: 'classification',
      target: 'weather',
      dataset: 'weather@1',
      numTrees: '30',
    })
    const metricKeys = run.run.data.metrics.map((m) => m.key)
    expect(metricKeys).toEqual(expect.arrayContaining(['test_accuracy', 'train_loss']))
    expect(run.run.inputs.dataset_inputs.map((i) => i.dataset.name)).toEqual(['weather'])
  }, 120_000)

  it('prints a summary table without --json', async () => {
    const out = await sandbox.run([
      'train',
      '--dataset',
      'weather',
      '--target',
      'temp_max',
      '--task',
      'regression',
      '--algo',
      'linear',
      '--features',
      'date,precipitation,temp_min,wind',
    ])
    expect(out.stderr).not.toMatch(/error/)
    expect(out.code).toBe(0)
    expect(out.stdout).toMatch(/^trained on weather@1: \d+ training rows, \d+ test rows$/m)
    expect(out.stdout).toMatch(/^test_rmse\s+\d+\.\d{4}$/m)
    expect(out.stdout).not.toMatch(/registered/)
  }, 120_000)

  it('--detach queues the job and returns its id', async () => {
    const out = await sandbox.json<{ job: JobRecord }>([
      'train',
      '--dataset',
      'weather',
      '--target',
      'weather',
      '--task',
      'classification',
      '--detach',
    ])
    expect(out.job.status).toBe('queued')
    const cancelled = await sandbox.run(['jobs', 'cancel', out.job.id])
    expect(cancelled.code).toBe(0)
  })

  it('names the column or flag that is wrong before anything is queued', async () => {
    const noColumn = await sandbox.run([
      'train',
      '--dataset',
      'weather',
      '--target',
      'rain',
      '--task',
      'classification',
    ])
    expect(noColumn.code).toBe(2)
    expect(noColumn.stderr).toContain(
      "Invalid value for parameter 'target': dataset weather@1 has no column 'rain'",
    )
    const noDataset = await sandbox.run([
      'train',
      '--dataset',
      'nope',
      '--target',
      'x',
      '--task',
      'regression',
    ])
    expect(noDataset.code).toBe(3)
    const badParam = await sandbox.run([
      'train',
      '--dataset',
      'weather',
      '--target',
      'temp_max',
      '--task',
      'regression',
      '--param',
      'numTrees=-4',
    ])
    expect(badParam.code).toBe(2)
    expect(badParam.stderr).toContain('numTrees')
    const jobs = await sandbox.json<{ jobs: JobRecord[] }>(['jobs', 'list', '--status', 'failed'])
    expect(jobs.jobs.length).toBeGreaterThanOrEqual(1)
  }, 60_000)

  it('checks flags that go together', () => {
    const base = {
      dataset: 'd',
      target: 't',
      task: 'regression' as const,
      algo: 'gbdt' as const,
    }
    expect(() => trainingRequestFrom({ ...base, splitBy: 'date' })).toThrow(
      '--split-by and --test-after go together',
    )
    expect(() => trainingRequestFrom({ ...base, search: 'grid' })).toThrow('--space')
    expect(() => trainingRequestFrom({ ...base, alias: 'champion' })).toThrow('--register')
    expect(
      trainingRequestFrom({
        ...base,
        search: 'random',
        trials: 4,
        space: { learningRate: '0.01..0.3' },
        splitBy: 'date',
        testAfter: '2015-01-01',
      }),
    ).toMatchObject({
      split: { kind: 'time', column: 'date', test_after: '2015-01-01' },
      search: { kind: 'random', trials: 4, space: { learningRate: '0.01..0.3' } },
    })
  })
})
