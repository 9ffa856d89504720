import { createHash } from 'node:crypto'
import { mkdtempSync, readFileSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import path from 'node:path'
import type { GetModelVersionResponse, JobRecord, TrainingResult } from '@ballast/contracts'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import {
  type SpawnedServer,
  WEATHER,
  ballast,
  ensureBuilt,
  spawnServer,
} from './support/ballast-process.js'
import { OnnxModel } from '../../src/training/onnx/onnx-runtime.js'

async function json<T>(args: string[], cwd: string): Promise<T> {
  const result = await ballast([...args, '--json'], cwd)
  if (result.code !== 0) throw new Error(`ballast ${args.join(' ')}: ${result.stderr}`)
  return JSON.parse(result.stdout) as T
}

/**
 * The path a user takes with the CLI alone, against a real server whose embedded worker runs the
 * trainings: dataset → trained, registered and aliased model → card, ONNX export, import.
 */
describe('training through a server', () => {
  let dir: string
  let server: SpawnedServer
  let url: string

  beforeAll(async () => {
    ensureBuilt()
    dir = mkdtempSync(path.join(tmpdir(), 'ballast-train-e2e-'))
    server = await spawnServer(dir)
    url = server.url
  }, 300_000)

  afterAll(async () => {
    await server?.stop()
    rmSync(dir, { recursive: true, force: true })
  })

  it('goes from a dataset to a registered, aliased model with lineage, card and ONNX file', async () => {
    const ingested = await ballast(
      ['data', 'ingest', WEATHER, '--name', 'weather', '--url', url],
      dir,
    )
    expect(ingested.code).toBe(0)

    const trained = await json<{ job: JobRecord; result: TrainingResult }>(
      [
        'train',
        ...['--dataset', 'weather@1', '--target', 'weather', '--task', 'classification'],
        ...['--algo', 'gbdt', '--param', 'numTrees=40', '--split-by', 'date'],
        ...['--test-after', '2015-01-01', '--experiment', 'weather'],
        ...['--register', 'weather-gbdt', '--alias', 'champion', '--url', url],
      ],
      dir,
    )
    expect(trained.job.status).toBe('succeeded')
    expect(trained.result.model).toEqual({ name: 'weather-gbdt', version: '1', alias: 'champion' })
    expect(trained.result.metrics.test_accuracy).toBeGreaterThan(0.7)

    const shown = await ballast(['models', 'show', 'weather-gbdt', '--url', url], dir)
    expect(shown.code).toBe(0)
    expect(shown.stdout).toContain(trained.result.run_id)
    expect(shown.stdout).toContain('weather@1')

    const version = (await (
      await fetch(`${url}/api/v1/models/weather-gbdt/versions/@champion`)
    ).json()) as GetModelVersionResponse
    expect(version.lineage.run_id).toBe(trained.result.run_id)
    expect(version.lineage.datasets).toEqual([
      expect.objectContaining({ name: 'weather', version: 1, context: 'training' }),
    ])
    expect(version.details.task).toBe('classification')
    expect(version.details.signature?.inputs.map((f) => [f.name, f.type])).toEqual([
      ['date', 'datetime'],
      ['precipitation', 'double'],
      ['temp_max', 'double'],
      ['temp_min', 'double'],
      ['wind', 'double'],
    ])
    expect(version.details.input_example?.length).toBeGreaterThan(0)

    const card = await ballast(
      ['models', 'card', 'weather-gbdt@champion', '--output', 'card.md', '--url', url],
      dir,
    )
    expect(card.code).toBe(0)
    const markdown = readFileSync(path.join(dir, 'card.md'), 'utf8')
    for (const section of [
      'Model details',
      'Intended use',
      'Factors',
      'Metrics',
      'Training data',
    ]) {
      expect(markdown).toContain(section)
    }
    expect(markdown).toContain('| weather | 1 |')
    expect(markdown).toContain('rows with date at or after 2015-01-01 (time split)')

    const exported = await ballast(
      ['models', 'export', 'weather-gbdt@champion', '--output', 'model.onnx', '--url', url],
      dir,
    )
    expect(exported.code).toBe(0)
    const bytes = readFileSync(path.join(dir, 'model.onnx'))
    expect(createHash('sha256').update(bytes).digest('hex')).toBe(version.details.onnx_sha256)
    const model = await OnnxModel.load(bytes)
    expect([...model.inputNames].sort()).toEqual([
      'date',
      'precipitation',
      'temp_max',
      'temp_min',
      'wind',
    ])
    const row = await model.run(
      {
        date: BigInt64Array.from([BigInt(Date.UTC(2015, 6, 1))]),
        precipitation: Float32Array.from([0]),
        temp_max: Float32Array.from([28]),
        temp_min: Float32Array.from([15]),
        wind: Float32Array.from([2.5]),
      },
      1,
    )
    const probabilities = row.probabilities!.values as number[]
    expect(probabilities.reduce((a, b) => a + b, 0)).toBeCloseTo(1, 5)

    const imported = await ballast(
      ['models', 'import', 'model.onnx', '--name', 'weather-imported', '--url', url],
      dir,
    )
    expect(imported.stderr).toBe('')
    expect(imported.code).toBe(0)
    const again = (await (
      await fetch(`${url}/api/v1/models/weather-imported/versions/latest`)
    ).json()) as GetModelVersionResponse
    expect(again.details.onnx_sha256).toBe(version.details.onnx_sha256)
  }, 240_000)

  it('a detached training goes on in the server after the command returns', async () => {
    const queued = await json<{ job: JobRecord }>(
      [
        'train',
        ...['--dataset', 'weather', '--target', 'temp_max', '--task', 'regression'],
        ...['--algo', 'linear', '--detach', '--url', url],
      ],
      dir,
    )
    expect(queued.job.status).toBe('queued')
    let job = queued.job
    for (let i = 0; i < 300 && !['succeeded', 'failed', 'cancelled'].includes(job.status); i++) {
      await new Promise((resolve) => setTimeout(resolve, 200))
      job = (await json<{ job: JobRecord }>(['jobs', 'show', job.id, '--url', url], dir)).job
    }
    expect(job.status).toBe('succeeded')
    expect((job.result as TrainingResult).metrics.test_rmse).toBeLessThan(4)
  }, 120_000)
})
