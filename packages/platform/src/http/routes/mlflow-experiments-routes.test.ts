import { describe, expect, it, vi } from 'vitest'
import {
  type MlflowTestClient,
  TEST_NOW,
  useMlflowTestClient,
} from './test-support/mlflow-test-client.js'

const NOW = TEST_NOW

let t: MlflowTestClient
useMlflowTestClient((client) => (t = client))

describe('experiments/create and get', () => {
  it('has the Default experiment with id 0', async () => {
    const res = await t.get('experiments/get', { experiment_id: '0' })
    expect(res.status).toBe(200)
    expect(res.body).toEqual({
      experiment: {
        experiment_id: '0',
        name: 'Default',
        artifact_location: 'mlflow-artifacts:/0',
        lifecycle_stage: 'active',
        last_update_time: expect.any(Number),
        creation_time: expect.any(Number),
      },
    })
  })

  it('creates an experiment with its tags and an mlflow-artifacts location', async () => {
    const created = await t.post('experiments/create', {
      name: 'churn',
      tags: [
        { key: 'team', value: 'risk' },
        { key: 'mlflow.note.content', value: 'first try' },
      ],
    })
    expect(created).toEqual({ status: 200, body: { experiment_id: '1' } })
    const res = await t.get('experiments/get', { experiment_id: '1' })
    expect(res.body).toEqual({
      experiment: {
        experiment_id: '1',
        name: 'churn',
        artifact_location: 'mlflow-artifacts:/1',
        lifecycle_stage: 'active',
        last_update_time: NOW,
        creation_time: NOW,
        tags: [
          { key: 'mlflow.note.content', value: 'first try' },
          { key: 'team', value: 'risk' },
        ],
      },
    })
  })

  it('serves the same endpoints under /ajax-api/2.0/mlflow', async () => {
    const res = await t.request('/ajax-api/2.0/mlflow/experiments/get?experiment_id=0')
    expect(res.status).toBe(200)
    expect(((await res.json()) as { experiment: { name: string } }).experiment.name).toBe('Default')
  })

  it('refuses a duplicate name with RESOURCE_ALREADY_EXISTS', async () => {
    await t.post('experiments/create', { name: 'dup' })
    const res = await t.post('experiments/create', { name: 'dup' })
    expect(res).toEqual({
      status: 400,
      body: {
        error_code: 'RESOURCE_ALREADY_EXISTS',
        message: 'Experiment(name=dup) already exists.',
      },
    })
  })

  it('refuses a client-supplied artifact_location', async () => {
    const res = await t.post('experiments/create', {
      name: 'x',
      artifact_location: 's3://evil/bucket',
    })
    expect(res.status).toBe(400)
    expect(res.body.error_code).toBe('INVALID_PARAMETER_VALUE')
    expect(res.body.message).toContain("'artifact_location'")
    expect(res.body.message).toContain('"s3://evil/bucket"')
    const search = await t.get('experiments/get-by-name', { experiment_name: 'x' })
    expect(search.status).toBe(404)
  })

  it('names the missing parameter', async () => {
    const res = await t.post('experiments/create', {})
    expect(res).toEqual({
      status: 400,
      body: {
        error_code: 'INVALID_PARAMETER_VALUE',
        message: "Missing value for required parameter 'name'.",
      },
    })
  })

  it('refuses a name longer than 500 characters', async () => {
    const res = await t.post('experiments/create', { name: 'n'.repeat(501) })
    expect(res.status).toBe(400)
    expect(res.body.message).toBe("'name' exceeds the maximum length of 500 characters (got 501)")
  })

  it('ignores unknown fields and null fields, as protobuf does', async () => {
    const res = await t.post('experiments/create', {
      name: 'fwd',
      artifact_location: null,
      future: 1,
    })
    expect(res).toEqual({ status: 200, body: { experiment_id: '1' } })
  })

  it('answers 404 naming the id of a missing experiment', async () => {
    expect(await t.get('experiments/get', { experiment_id: '42' })).toEqual({
      status: 404,
      body: { error_code: 'RESOURCE_DOES_NOT_EXIST', message: 'No Experiment with id=42 exists' },
    })
    expect((await t.get('experiments/get', { experiment_id: 'abc' })).status).toBe(404)
  })

  it('finds an experiment by name, and names a missing one', async () => {
    await t.post('experiments/create', { name: 'by name' })
    const found = await t.get('experiments/get-by-name', { experiment_name: 'by name' })
    expect(found.body.experiment.experiment_id).toBe('1')
    expect(await t.get('experiments/get-by-name', { experiment_name: 'nope' })).toEqual({
      status: 404,
      body: {
        error_code: 'RESOURCE_DOES_NOT_EXIST',
        message: "Could not find experiment with name 'nope'",
      },
    })
  })
})

describe('experiments/update, delete, restore', () => {
  it('renames, and refuses a name in use', async () => {
    await t.post('experiments/create', { name: 'a' })
    await t.post('experiments/create', { name: 'b' })
    vi.setSystemTime(NOW + 5)
    expect(await t.post('experiments/update', { experiment_id: '1', new_name: 'a2' })).toEqual({
      status: 200,
      body: {},
    })
    const got = await t.get('experiments/get', { experiment_id: '1' })
    expect(got.body.experiment).toMatchObject({ name: 'a2', last_update_time: NOW + 5 })
    const taken = await t.post('experiments/update', { experiment_id: '1', new_name: 'b' })
    expect(taken.body).toEqual({
      error_code: 'RESOURCE_ALREADY_EXISTS',
      message: 'Experiment(name=b) already exists.',
    })
    const missing = await t.post('experiments/update', { experiment_id: '1' })
    expect(missing.body.message).toBe("Missing value for required parameter 'new_name'.")
  })

  it('deletes an experiment with its runs, and restore brings back exactly those runs', async () => {
    const { experimentId, runId } = await t.createRun('doomed')
    const other = await t.post('runs/create', { experiment_id: experimentId })
    const deletedBefore = other.body.run.info.run_id as string
    await t.post('runs/delete', { run_id: deletedBefore })
    vi.setSystemTime(NOW + 10)

    expect(await t.post('experiments/delete', { experiment_id: experimentId })).toEqual({
      status: 200,
      body: {},
    })
    expect(
      (await t.get('experiments/get', { experiment_id: experimentId })).body.experiment
        .lifecycle_stage,
    ).toBe('deleted')
    expect((await t.get('runs/get', { run_id: runId })).body.run.info.lifecycle_stage).toBe(
      'deleted',
    )
    const write = await t.post('runs/set-tag', { run_id: runId, key: 'k', value: 'v' })
    expect(write.body).toEqual({
      error_code: 'INVALID_PARAMETER_VALUE',
      message: `The run ${runId} must be in the 'active' state. Current state is deleted.`,
    })
    const newRun = await t.post('runs/create', { experiment_id: experimentId })
    expect(newRun.body.message).toBe(
      `The experiment ${experimentId} must be in the 'active' state. Current state is deleted.`,
    )

    expect(await t.post('experiments/restore', { experiment_id: experimentId })).toEqual({
      status: 200,
      body: {},
    })
    expect((await t.get('runs/get', { run_id: runId })).body.run.info.lifecycle_stage).toBe(
      'active',
    )
    expect((await t.get('runs/get', { run_id: deletedBefore })).body.run.info.lifecycle_stage).toBe(
      'deleted',
    )
  })

  it('refuses to delete a deleted experiment or restore an active one', async () => {
    await t.post('experiments/create', { name: 'x' })
    expect((await t.post('experiments/restore', { experiment_id: '1' })).body.message).toBe(
      "The experiment 1 must be in the 'deleted' state. Current state is active.",
    )
    await t.post('experiments/delete', { experiment_id: '1' })
    const again = await t.post('experiments/delete', { experiment_id: '1' })
    expect(again.status).toBe(400)
    expect(again.body.message).toBe(
      "The experiment 1 must be in the 'active' state. Current state is deleted.",
    )
    const rename = await t.post('experiments/update', { experiment_id: '1', new_name: 'y' })
    expect(rename.body).toEqual({
      error_code: 'INVALID_STATE',
      message: 'Cannot rename a non-active experiment (id=1).',
    })
  })
})

describe('experiment tags', () => {
  it('sets (last write wins) and deletes tags', async () => {
    await t.post('experiments/create', { name: 'x' })
    await t.post('experiments/set-experiment-tag', {
      experiment_id: '1',
      key: 'stage',
      value: 'dev',
    })
    await t.post('experiments/set-experiment-tag', {
      experiment_id: 1,
      key: 'stage',
      value: 'prod',
    })
    let got = await t.get('experiments/get', { experiment_id: '1' })
    expect(got.body.experiment.tags).toEqual([{ key: 'stage', value: 'prod' }])

    expect(
      await t.post('experiments/delete-experiment-tag', { experiment_id: '1', key: 'stage' }),
    ).toEqual({
      status: 200,
      body: {},
    })
    got = await t.get('experiments/get', { experiment_id: '1' })
    expect(got.body.experiment.tags).toBeUndefined()
    const missing = await t.post('experiments/delete-experiment-tag', {
      experiment_id: '1',
      key: 'stage',
    })
    expect(missing).toEqual({
      status: 404,
      body: {
        error_code: 'RESOURCE_DOES_NOT_EXIST',
        message: 'No tag with name: stage in experiment with id 1',
      },
    })
  })

  it('refuses an invalid key and a value over 5000 characters', async () => {
    await t.post('experiments/create', { name: 'x' })
    const bad = await t.post('experiments/set-experiment-tag', {
      experiment_id: '1',
      key: '../up',
      value: 'v',
    })
    expect(bad.status).toBe(400)
    expect(bad.body.message).toContain(`Invalid value "../up" for parameter 'key' supplied`)
    const long = await t.post('experiments/set-experiment-tag', {
      experiment_id: '1',
      key: 'k',
      value: 'v'.repeat(5001),
    })
    expect(long.body.message).toBe(
      "'value' exceeds the maximum length of 5000 characters (got 5001)",
    )
  })
})

describe('experiments/search', () => {
  it('pages through experiments over POST and GET', async () => {
    for (const name of ['e1', 'e2', 'e3']) await t.post('experiments/create', { name })
    const first = await t.post('experiments/search', { max_results: 2 })
    expect(first.status).toBe(200)
    expect(first.body.experiments).toHaveLength(2)
    expect(typeof first.body.next_page_token).toBe('string')
    const second = await t.get('experiments/search', {
      max_results: '2',
      page_token: first.body.next_page_token as string,
    })
    expect(second.status).toBe(200)
    const names = [...first.body.experiments, ...second.body.experiments].map(
      (e: { name: string }) => e.name,
    )
    expect(names.sort()).toEqual(['Default', 'e1', 'e2', 'e3'])
    expect(second.body.next_page_token).toBeUndefined()
  })

  it('finds deleted experiments only when asked', async () => {
    await t.post('experiments/create', { name: 'gone' })
    await t.post('experiments/delete', { experiment_id: '1' })
    const active = await t.get('experiments/search', { max_results: 10 })
    expect(active.body.experiments.map((e: { name: string }) => e.name)).toEqual(['Default'])
    const deleted = await t.get('experiments/search', 'view_type=DELETED_ONLY')
    expect(deleted.body.experiments.map((e: { name: string }) => e.name)).toEqual(['gone'])
  })

  it('refuses max_results above 50000', async () => {
    const res = await t.post('experiments/search', { max_results: 50001 })
    expect(res.status).toBe(400)
    expect(res.body.message).toContain("'max_results'")
  })
})
