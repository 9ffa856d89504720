import { mkdtemp, rm, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import path from 'node:path'
import { isAppError } from '@ballast/contracts'
import { Ballast, type FetchLike } from '@ballast/sdk'
import type { Hono } from 'hono'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { LocalArtifactStore } from '../../src/artifacts/local-artifact-store.js'
import { type AppEnv, createApp } from '../../src/http/app.js'
import { createServices } from '../../src/runtime/services.js'
import { type TestStore, openTestSqliteStore } from '../../src/storage/test-support/test-stores.js'

/** The SDK against the real app in process: every route, store and artifact store, no socket. */
describe('SDK against the in-process app', () => {
  let dir: string
  let testStore: TestStore
  let artifacts: LocalArtifactStore
  let app: Hono<AppEnv>
  let inProcess: FetchLike

  beforeAll(async () => {
    dir = await mkdtemp(path.join(tmpdir(), 'ballast-sdk-e2e-'))
    testStore = await openTestSqliteStore()
    artifacts = new LocalArtifactStore(path.join(dir, 'artifacts'))
    await artifacts.init()
    app = createApp({ services: createServices({ store: testStore.store, artifacts }) })
    inProcess = (input, init) => app.request(input, init)
  })
  afterAll(async () => {
    await artifacts.close()
    await testStore.dispose()
    await rm(dir, { recursive: true, force: true })
  })

  it('tracks experiment → run → params, metrics, tags, artifact, inputs → end, and reads it all back', async () => {
    const ballast = new Ballast({
      url: 'http://ballast.local',
      fetch: inProcess,
      flushIntervalMs: 20,
    })
    const experiment = await ballast.experiment('sdk-e2e')
    // get-or-create: the second call finds the first one's experiment.
    await expect(ballast.experiment('sdk-e2e')).resolves.toEqual(experiment)

    const run = await ballast.startRun({
      experiment: 'sdk-e2e',
      name: 'baseline',
      tags: { team: 'risk' },
    })
    expect(run.experimentId).toBe(experiment.id)
    expect(run.artifactUri).toBe(`mlflow-artifacts:/${experiment.id}/${run.id}/artifacts`)
    run.logParams({ lr: 0.1, epochs: 2500 })
    run.setTag('stage', 'dev')
    for (let step = 0; step < 2500; step++) run.logMetric('loss', 1 / (step + 1), step)
    run.logMetrics({ auc: 0.91 }, 2499)
    const weights = path.join(dir, 'weights.bin')
    await writeFile(weights, Buffer.from([0, 1, 2, 3, 255]))
    await run.logArtifact(weights, 'model')
    await run.logInputs([
      {
        name: 'flights',
        digest: 'd1g3st',
        sourceType: 'local',
        source: 'flights.parquet',
        context: 'training',
      },
    ])
    await run.end()

    const stored = await ballast.getRun(run.id)
    expect(stored.info).toMatchObject({
      run_id: run.id,
      run_name: 'baseline',
      experiment_id: experiment.id,
      status: 'FINISHED',
      lifecycle_stage: 'active',
    })
    expect(stored.info.end_time).toBeGreaterThanOrEqual(stored.info.start_time)
    const params = Object.fromEntries((stored.data.params ?? []).map((p) => [p.key, p.value]))
    expect(params).toEqual({ lr: '0.1', epochs: '2500' })
    const tags = Object.fromEntries((stored.data.tags ?? []).map((t) => [t.key, t.value]))
    expect(tags).toMatchObject({ team: 'risk', stage: 'dev' })
    const latest = Object.fromEntries(
      (stored.data.metrics ?? []).map((m) => [m.key, [m.value, m.step]]),
    )
    expect(latest).toEqual({ loss: [1 / 2500, 2499], auc: [0.91, 2499] })
    expect(stored.inputs.dataset_inputs?.[0]).toMatchObject({
      dataset: {
        name: 'flights',
        digest: 'd1g3st',
        source_type: 'local',
        source: 'flights.parquet',
      },
      tags: [{ key: 'mlflow.data.context', value: 'training' }],
    })

    const history = await ballast.getMetricHistory(run.id, 'loss')
    expect(history).toHaveLength(2500)
    expect(history.map((m) => m.step).sort((a, b) => a - b)).toEqual(
      Array.from({ length: 2500 }, (_, i) => i),
    )

    const found = await ballast.searchRuns({
      experimentIds: [experiment.id],
      filter: "params.lr = '0.1' and metrics.auc > 0.9",
    })
    expect(found.runs?.map((r) => r.info.run_id)).toEqual([run.id])
    const none = await ballast.searchRuns({
      experimentIds: [experiment.id],
      filter: 'metrics.auc > 0.95',
    })
    expect(none.runs ?? []).toEqual([])

    expect((await ballast.listExperiments()).map((e) => e.name)).toContain('sdk-e2e')

    const download = await app.request(
      `/api/2.0/mlflow-artifacts/artifacts/${experiment.id}/${run.id}/artifacts/model/weights.bin`,
    )
    expect(download.status).toBe(200)
    expect([...new Uint8Array(await download.arrayBuffer())]).toEqual([0, 1, 2, 3, 255])
  })

  it('a batch whose answer was lost is resent, and the server keeps each point once', async () => {
    let dropped = 0
    // The server stores the first log-batch, then the connection drops before the answer arrives.
    const lossy: FetchLike = async (input, init) => {
      const response = await app.request(input, init)
      if (input.endsWith('/runs/log-batch') && dropped === 0) {
        dropped++
        throw new TypeError('fetch failed', { cause: new Error('socket hang up') })
      }
      return response
    }
    const ballast = new Ballast({ url: 'http://ballast.local', fetch: lossy, retryBaseDelayMs: 1 })
    const run = await ballast.startRun({ experiment: 'sdk-e2e-retry' })
    for (let step = 0; step < 10; step++) run.logMetric('loss', step, step)
    await run.end()
    expect(dropped).toBe(1)
    const history = await ballast.getMetricHistory(run.id, 'loss')
    expect(history.map((m) => m.step).sort((a, b) => a - b)).toEqual([0, 1, 2, 3, 4, 5, 6, 7, 8, 9])
  })

  it('turns error answers into typed errors', async () => {
    const ballast = new Ballast({ url: 'http://ballast.local', fetch: inProcess })
    const error = await ballast.getRun('0123456789abcdef0123456789abcdef').catch((e: unknown) => e)
    expect(isAppError(error) && error.code).toBe('RESOURCE_DOES_NOT_EXIST')
    expect(error).toMatchObject({ status: 404 })
    await expect(ballast.searchRuns({ filter: 'metrics.auc >>> 1' })).rejects.toMatchObject({
      code: 'INVALID_PARAMETER_VALUE',
      status: 400,
    })
  })
})
