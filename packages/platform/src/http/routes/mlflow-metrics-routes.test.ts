import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { type MlflowTestClient, openMlflowTestClient } from './test-support/mlflow-test-client.js'

let t: MlflowTestClient

beforeEach(async () => {
  t = await openMlflowTestClient()
})

afterEach(async () => {
  await t.dispose()
})

async function logSteps(runId: string, key: string, steps: number) {
  const metrics = Array.from({ length: steps }, (_, i) => ({
    key,
    value: i * 2,
    timestamp: 1000 + i,
    step: i,
  }))
  for (let i = 0; i < metrics.length; i += 1000) {
    const res = await t.post('runs/log-batch', {
      run_id: runId,
      metrics: metrics.slice(i, i + 1000),
    })
    expect(res.status).toBe(200)
  }
}

describe('metrics/get-history', () => {
  it('returns the whole history in step order, with NaN as "NaN"', async () => {
    const { runId } = await t.createRun()
    await t.post('runs/log-batch', {
      run_id: runId,
      metrics: [
        { key: 'loss', value: 0.3, timestamp: 30, step: 2 },
        { key: 'loss', value: 'NaN', timestamp: 20, step: 1 },
        { key: 'loss', value: 0.9, timestamp: 10, step: 0 },
        { key: 'other', value: 1, timestamp: 10 },
      ],
    })
    expect(await t.get('metrics/get-history', { run_id: runId, metric_key: 'loss' })).toEqual({
      status: 200,
      body: {
        metrics: [
          { key: 'loss', value: 0.9, timestamp: 10, step: 0 },
          { key: 'loss', value: 'NaN', timestamp: 20, step: 1 },
          { key: 'loss', value: 0.3, timestamp: 30, step: 2 },
        ],
      },
    })
  })

  it('pages with max_results and page_token, and accepts run_uuid', async () => {
    const { runId } = await t.createRun()
    await logSteps(runId, 'm', 5)
    const seen: number[] = []
    let token: string | undefined
    let pages = 0
    do {
      const query: Record<string, string> = { run_uuid: runId, metric_key: 'm', max_results: '2' }
      if (token !== undefined) query.page_token = token
      const res = await t.get('metrics/get-history', query)
      expect(res.status).toBe(200)
      seen.push(...res.body.metrics.map((m: { step: number }) => m.step))
      token = res.body.next_page_token
      pages++
    } while (token !== undefined)
    expect(seen).toEqual([0, 1, 2, 3, 4])
    expect(pages).toBe(3)
  })

  it('refuses a bad page token and a max_results over 25000', async () => {
    const { runId } = await t.createRun()
    const bad = await t.get('metrics/get-history', {
      run_id: runId,
      metric_key: 'm',
      page_token: 'nonsense',
    })
    expect(bad).toEqual({
      status: 400,
      body: {
        error_code: 'INVALID_PARAMETER_VALUE',
        message: "Invalid value for parameter 'page_token': not a page token of this server",
      },
    })
    const big = await t.get('metrics/get-history', {
      run_id: runId,
      metric_key: 'm',
      max_results: 25001,
    })
    expect(big.body.message).toBe(
      "Invalid value 25001 for parameter 'max_results' supplied: it must be between 1 and 25000",
    )
  })

  it('answers {} for a key never logged, and 404 for a missing run', async () => {
    const { runId } = await t.createRun()
    expect(await t.get('metrics/get-history', { run_id: runId, metric_key: 'none' })).toEqual({
      status: 200,
      body: {},
    })
    const missing = await t.get('metrics/get-history', { run_id: 'b'.repeat(32), metric_key: 'm' })
    expect(missing.status).toBe(404)
    expect(missing.body.message).toBe(`Run with id=${'b'.repeat(32)} not found`)
  })
})

describe('metrics/get-history-bulk-interval', () => {
  it('returns every point of several runs when under max_results', async () => {
    const a = await t.createRun('a')
    const b = await t.post('runs/create', { experiment_id: a.experimentId })
    const runB = b.body.run.info.run_id as string
    await logSteps(a.runId, 'm', 3)
    await logSteps(runB, 'm', 2)
    const res = await t.get(
      'metrics/get-history-bulk-interval',
      `run_ids=${a.runId}&run_ids[]=${runB}&metric_key=m`,
    )
    expect(res.status).toBe(200)
    const byRun = (id: string) =>
      res.body.metrics
        .filter((m: { run_id: string }) => m.run_id === id)
        .map((m: { step: number }) => m.step)
    expect(byRun(a.runId)).toEqual([0, 1, 2])
    expect(byRun(runB)).toEqual([0, 1])
    expect(res.body.metrics[0]).toMatchObject({ key: 'm', timestamp: expect.any(Number) })
  })

  it('samples evenly, keeping the first and last step, within a step range', async () => {
    const { runId } = await t.createRun()
    await logSteps(runId, 'm', 101)
    const res = await t.get('metrics/get-history-bulk-interval', {
      run_ids: runId,
      metric_key: 'm',
      max_results: 5,
    })
    expect(res.body.metrics.map((m: { step: number }) => m.step)).toEqual([0, 25, 50, 75, 100])
    expect(res.body.metrics[1]).toEqual({
      key: 'm',
      value: 50,
      timestamp: 1025,
      step: 25,
      run_id: runId,
    })
    const ranged = await t.get('metrics/get-history-bulk-interval', {
      run_ids: runId,
      metric_key: 'm',
      start_step: 10,
      end_step: 12,
    })
    expect(ranged.body.metrics.map((m: { step: number }) => m.step)).toEqual([10, 11, 12])
  })

  it('checks its parameters as MLflow does', async () => {
    const { runId } = await t.createRun()
    const half = await t.get('metrics/get-history-bulk-interval', {
      run_ids: runId,
      metric_key: 'm',
      start_step: 1,
    })
    expect(half.body.message).toBe(
      'If either start step or end step are specified, both must be specified.',
    )
    const tooMany = await t.get('metrics/get-history-bulk-interval', {
      run_ids: runId,
      metric_key: 'm',
      max_results: 2501,
    })
    expect(tooMany.body.message).toBe('max_results must be between 1 and 2500.')
    const noKey = await t.get('metrics/get-history-bulk-interval', { run_ids: runId })
    expect(noKey.body.message).toBe("Missing value for required parameter 'metric_key'.")
  })
})
