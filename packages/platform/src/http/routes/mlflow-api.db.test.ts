import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { openTestPostgresStore } from '../../storage/test-support/test-stores.js'
import { type MlflowTestClient, openMlflowTestClient } from './test-support/mlflow-test-client.js'

let t: MlflowTestClient

beforeEach(async () => {
  t = await openMlflowTestClient(openTestPostgresStore)
})

afterEach(async () => {
  await t.dispose()
})

describe('MLflow tracking API on PostgreSQL', () => {
  it('runs the core flow: experiment, run, log-batch, get, history, search', async () => {
    expect(
      await t.post('experiments/create', { name: 'pg', tags: [{ key: 't', value: 'v' }] }),
    ).toEqual({
      status: 200,
      body: { experiment_id: '1' },
    })
    expect((await t.post('experiments/create', { name: 'pg' })).body.error_code).toBe(
      'RESOURCE_ALREADY_EXISTS',
    )
    const created = await t.post('runs/create', {
      experiment_id: '1',
      run_name: 'r',
      start_time: 5,
    })
    const runId = created.body.run.info.run_id as string

    const metrics = Array.from({ length: 996 }, (_, i) => ({
      key: `m${i % 4}`,
      value: i === 995 ? 'NaN' : i / 10,
      timestamp: 10_000 + i,
      step: Math.floor(i / 4),
    }))
    const batch = {
      run_id: runId,
      metrics,
      params: [{ key: 'lr', value: '0.01' }],
      tags: [{ key: 'phase', value: 'train' }],
    }
    expect(await t.post('runs/log-batch', batch)).toEqual({ status: 200, body: {} })
    expect(await t.post('runs/log-batch', batch)).toEqual({ status: 200, body: {} })
    // An older point logged later must not replace the latest one.
    await t.post('runs/log-metric', { run_id: runId, key: 'm0', value: 42, timestamp: 1, step: 3 })

    const run = (await t.get('runs/get', { run_id: runId })).body.run
    expect(run.info).toMatchObject({
      run_id: runId,
      run_name: 'r',
      experiment_id: '1',
      start_time: 5,
    })
    expect(run.data).toEqual({
      metrics: [
        { key: 'm0', value: 99.2, timestamp: 10_992, step: 248 },
        { key: 'm1', value: 99.3, timestamp: 10_993, step: 248 },
        { key: 'm2', value: 99.4, timestamp: 10_994, step: 248 },
        { key: 'm3', value: 'NaN', timestamp: 10_995, step: 248 },
      ],
      params: [{ key: 'lr', value: '0.01' }],
      tags: [
        { key: 'mlflow.runName', value: 'r' },
        { key: 'phase', value: 'train' },
      ],
    })

    const changed = await t.post('runs/log-parameter', { run_id: runId, key: 'lr', value: '0.1' })
    expect(changed.body.message).toContain(
      "Param with key='lr' was already logged with value='0.01'",
    )

    const steps: number[] = []
    let token: string | undefined
    do {
      const query: Record<string, string> = { run_id: runId, metric_key: 'm0', max_results: '100' }
      if (token !== undefined) query.page_token = token
      const page = await t.get('metrics/get-history', query)
      expect(page.status).toBe(200)
      steps.push(...page.body.metrics.map((m: { step: number }) => m.step))
      token = page.body.next_page_token
    } while (token !== undefined)
    expect(steps).toHaveLength(250)
    expect(steps.slice(0, 5)).toEqual([0, 1, 2, 3, 3])

    const found = await t.post('runs/search', { experiment_ids: ['1'] })
    expect(found.status).toBe(200)
    expect(found.body.runs.map((r: { info: { run_id: string } }) => r.info.run_id)).toEqual([runId])
    const experiments = await t.get('experiments/search', { max_results: 10 })
    expect(experiments.body.experiments.map((e: { name: string }) => e.name).sort()).toEqual([
      'Default',
      'pg',
    ])
  })

  it('lists artifacts and deletes a folder with LIKE wildcards in its name', async () => {
    const root = '/api/2.0/mlflow-artifacts/artifacts'
    await t.request(`${root}/0/r/artifacts/a_b/x.txt`, { method: 'PUT', body: 'x' })
    await t.request(`${root}/0/r/artifacts/aXb/y.txt`, { method: 'PUT', body: 'y' })
    await t.request(`${root}/0/r/artifacts/a_b`, { method: 'DELETE' })
    const listed = await t.request(`${root}?path=0/r/artifacts`)
    expect(await listed.json()).toEqual({ files: [{ path: 'aXb', is_dir: true }] })
  })
})
