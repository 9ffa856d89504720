import { describe, expect, it } from 'vitest'
import {
  type MlflowTestClient,
  TEST_NOW,
  useMlflowTestClient,
} from './test-support/mlflow-test-client.js'

const NOW = TEST_NOW

let t: MlflowTestClient
useMlflowTestClient((client) => (t = client))

async function getRun(runId: string) {
  const res = await t.get('runs/get', { run_id: runId })
  expect(res.status).toBe(200)
  return res.body.run
}

describe('runs/create and runs/get', () => {
  it('creates a run as MLflow writes it', async () => {
    await t.post('experiments/create', { name: 'e' })
    const res = await t.post('runs/create', {
      experiment_id: '1',
      run_name: 'first',
      start_time: '1699999999000',
      tags: [{ key: 'mlflow.source.type', value: 'LOCAL' }],
    })
    expect(res.status).toBe(200)
    const runId = res.body.run.info.run_id as string
    expect(runId).toMatch(/^[0-9a-f]{32}$/)
    expect(res.body).toEqual({
      run: {
        info: {
          run_id: runId,
          run_uuid: runId,
          run_name: 'first',
          experiment_id: '1',
          user_id: 'anonymous',
          status: 'RUNNING',
          start_time: 1699999999000,
          artifact_uri: `mlflow-artifacts:/1/${runId}/artifacts`,
          lifecycle_stage: 'active',
        },
        data: {
          tags: [
            { key: 'mlflow.runName', value: 'first' },
            { key: 'mlflow.source.type', value: 'LOCAL' },
          ],
        },
        inputs: {},
      },
    })
    expect(await t.get('runs/get', { run_id: runId })).toEqual({ status: 200, body: res.body })
  })

  it('defaults to experiment 0, the acting user, now, and a generated name mirrored in the tag', async () => {
    const res = await t.post('runs/create', {})
    const info = res.body.run.info
    expect(info).toMatchObject({ experiment_id: '0', user_id: 'anonymous', start_time: NOW })
    expect(info.run_name).toMatch(/^[a-z]+-[a-z]+-\d{1,3}$/)
    expect(res.body.run.data.tags).toEqual([{ key: 'mlflow.runName', value: info.run_name }])
  })

  it('takes the run name from the mlflow.runName tag, and refuses a conflicting run_name', async () => {
    const named = await t.post('runs/create', {
      tags: [{ key: 'mlflow.runName', value: 'from-tag' }],
    })
    expect(named.body.run.info.run_name).toBe('from-tag')
    const clash = await t.post('runs/create', {
      run_name: 'a',
      tags: [{ key: 'mlflow.runName', value: 'b' }],
    })
    expect(clash.status).toBe(400)
    expect(clash.body.message).toBe(
      "Both 'run_name' argument and 'mlflow.runName' tag are specified, but with different values (run_name='a', mlflow.runName='b').",
    )
  })

  it('accepts the deprecated run_uuid wherever run_id goes', async () => {
    const { runId } = await t.createRun()
    expect((await t.get('runs/get', { run_uuid: runId })).body.run.info.run_id).toBe(runId)
    await t.post('runs/log-parameter', { run_uuid: runId, key: 'p', value: '1' })
    expect((await getRun(runId)).data.params).toEqual([{ key: 'p', value: '1' }])
  })

  it('answers 404 naming a missing run, and 400 naming a missing run_id', async () => {
    expect(await t.get('runs/get', { run_id: 'f'.repeat(32) })).toEqual({
      status: 404,
      body: {
        error_code: 'RESOURCE_DOES_NOT_EXIST',
        message: `Run with id=${'f'.repeat(32)} not found`,
      },
    })
    expect(await t.get('runs/get')).toEqual({
      status: 400,
      body: {
        error_code: 'INVALID_PARAMETER_VALUE',
        message: "Missing value for required parameter 'run_id'.",
      },
    })
    expect((await t.post('runs/create', { experiment_id: '77' })).status).toBe(404)
  })
})

describe('runs/update, delete, restore', () => {
  it('updates status and end time, and mirrors a new name into the tag', async () => {
    const { runId } = await t.createRun()
    const res = await t.post('runs/update', {
      run_id: runId,
      status: 'FINISHED',
      end_time: 5000,
      run_name: 'renamed',
    })
    expect(res).toEqual({
      status: 200,
      body: {
        run_info: {
          run_id: runId,
          run_uuid: runId,
          run_name: 'renamed',
          experiment_id: '1',
          user_id: 'anonymous',
          status: 'FINISHED',
          start_time: 1000,
          end_time: 5000,
          artifact_uri: `mlflow-artifacts:/1/${runId}/artifacts`,
          lifecycle_stage: 'active',
        },
      },
    })
    expect((await getRun(runId)).data.tags).toEqual([{ key: 'mlflow.runName', value: 'renamed' }])
  })

  it('renames the run when the mlflow.runName tag is set', async () => {
    const { runId } = await t.createRun()
    await t.post('runs/set-tag', { run_id: runId, key: 'mlflow.runName', value: 'via-tag' })
    expect((await getRun(runId)).info.run_name).toBe('via-tag')
  })

  it('accepts a status by its protobuf number and refuses an unknown one', async () => {
    const { runId } = await t.createRun()
    expect((await t.post('runs/update', { run_id: runId, status: 4 })).body.run_info.status).toBe(
      'FAILED',
    )
    const bad = await t.post('runs/update', { run_id: runId, status: 'DONE' })
    expect(bad.status).toBe(400)
    expect(bad.body.message).toContain("'status'")
  })

  it('soft-deletes and restores a run; a deleted run refuses writes', async () => {
    const { runId } = await t.createRun()
    expect(await t.post('runs/delete', { run_id: runId })).toEqual({ status: 200, body: {} })
    expect((await getRun(runId)).info.lifecycle_stage).toBe('deleted')
    const refused = `The run ${runId} must be in the 'active' state. Current state is deleted.`
    for (const [endpoint, body] of [
      ['runs/log-metric', { run_id: runId, key: 'm', value: 1, timestamp: 1 }],
      ['runs/log-parameter', { run_id: runId, key: 'p', value: '1' }],
      ['runs/log-batch', { run_id: runId, metrics: [{ key: 'm', value: 1, timestamp: 1 }] }],
      ['runs/update', { run_id: runId, status: 'FINISHED' }],
    ] as const) {
      expect(await t.post(endpoint, body)).toEqual({
        status: 400,
        body: { error_code: 'INVALID_PARAMETER_VALUE', message: refused },
      })
    }
    expect(await t.post('runs/restore', { run_id: runId })).toEqual({ status: 200, body: {} })
    expect(
      (await t.post('runs/log-parameter', { run_id: runId, key: 'p', value: '1' })).status,
    ).toBe(200)
  })
})

describe('runs/search', () => {
  it('finds runs over POST and over GET with single and repeated experiment_ids', async () => {
    const { experimentId, runId } = await t.createRun()
    const posted = await t.post('runs/search', { experiment_ids: [experimentId] })
    expect(posted.status).toBe(200)
    expect(posted.body.runs.map((r: { info: { run_id: string } }) => r.info.run_id)).toEqual([
      runId,
    ])
    const single = await t.get('runs/search', `experiment_ids=${experimentId}`)
    expect(single.body.runs).toHaveLength(1)
    const repeated = await t.get(
      'runs/search',
      `experiment_ids[]=0&experiment_ids[]=${experimentId}`,
    )
    expect(repeated.body.runs).toHaveLength(1)
    expect(await t.post('runs/search', { experiment_ids: ['0'] })).toEqual({
      status: 200,
      body: {},
    })
  })

  it('pages through runs', async () => {
    await t.post('experiments/create', { name: 'e' })
    for (let i = 0; i < 3; i++) await t.post('runs/create', { experiment_id: '1', start_time: i })
    const first = await t.post('runs/search', { experiment_ids: ['1'], max_results: 2 })
    expect(first.body.runs).toHaveLength(2)
    const second = await t.post('runs/search', {
      experiment_ids: ['1'],
      max_results: 2,
      page_token: first.body.next_page_token,
    })
    expect(second.body.runs).toHaveLength(1)
    expect(second.body.next_page_token).toBeUndefined()
  })
})
