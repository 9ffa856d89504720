import { describe, expect, it, vi } from 'vitest'
import { listAudit } from '../../governance/index.js'
import {
  type MlflowTestClient,
  TEST_NOW,
  useMlflowTestClient,
} from './test-support/mlflow-test-client.js'
import { runWithModel, sendJson } from './test-support/registry-test-helpers.js'

const NOW = TEST_NOW

let t: MlflowTestClient
useMlflowTestClient((client) => (t = client))

function version(name: string, n: number, runId: string, extra: object = {}) {
  return {
    name,
    version: String(n),
    creation_timestamp: NOW,
    last_updated_timestamp: NOW,
    user_id: 'anonymous',
    current_stage: 'None',
    description: '',
    source: `runs:/${runId}/model`,
    run_id: runId,
    status: 'READY',
    run_link: '',
    ...extra,
  }
}

describe('registered-models', () => {
  it('creates, gets, updates, renames and deletes a model as MLflow answers', async () => {
    const created = await t.post('registered-models/create', {
      name: 'fraud',
      tags: [{ key: 'team', value: 'risk' }],
    })
    const model = {
      name: 'fraud',
      creation_timestamp: NOW,
      last_updated_timestamp: NOW,
      user_id: 'anonymous',
      tags: [{ key: 'team', value: 'risk' }],
    }
    expect(created).toEqual({ status: 200, body: { registered_model: model } })
    expect(await t.get('registered-models/get', { name: 'fraud' })).toEqual(created)

    vi.setSystemTime(NOW + 5)
    expect(
      await sendJson(t, 'PATCH', 'registered-models/update', { name: 'fraud', description: 'd' }),
    ).toEqual({
      status: 200,
      body: { registered_model: { ...model, description: 'd', last_updated_timestamp: NOW + 5 } },
    })
    const renamed = await t.post('registered-models/rename', { name: 'fraud', new_name: 'fraud2' })
    expect(renamed.body.registered_model).toMatchObject({ name: 'fraud2', description: 'd' })
    expect((await t.get('registered-models/get', { name: 'fraud' })).body).toEqual({
      error_code: 'RESOURCE_DOES_NOT_EXIST',
      message: 'Registered Model with name=fraud not found',
    })
    expect(await sendJson(t, 'DELETE', 'registered-models/delete', { name: 'fraud2' })).toEqual({
      status: 200,
      body: {},
    })
    expect((await t.get('registered-models/get', { name: 'fraud2' })).status).toBe(404)
  })

  it('refuses a duplicate, an empty and a path-like name, and a missing model', async () => {
    await t.post('registered-models/create', { name: 'm' })
    expect(await t.post('registered-models/create', { name: 'm' })).toEqual({
      status: 400,
      body: {
        error_code: 'RESOURCE_ALREADY_EXISTS',
        message: 'Registered Model (name=m) already exists.',
      },
    })
    expect(await t.post('registered-models/create', { name: '' })).toEqual({
      status: 400,
      body: {
        error_code: 'INVALID_PARAMETER_VALUE',
        message: "Missing value for required parameter 'name'.",
      },
    })
    const slash = await t.post('registered-models/create', { name: 'a/b' })
    expect(slash.status).toBe(400)
    expect(slash.body.message).toContain(`Invalid value for parameter 'name': "a/b"`)
    expect(await t.post('registered-models/rename', { name: 'nope', new_name: 'x' })).toEqual({
      status: 404,
      body: {
        error_code: 'RESOURCE_DOES_NOT_EXIST',
        message: 'Registered Model with name=nope not found',
      },
    })
    await t.post('registered-models/create', { name: 'n' })
    expect((await t.post('registered-models/rename', { name: 'n', new_name: 'm' })).body).toEqual({
      error_code: 'RESOURCE_ALREADY_EXISTS',
      message: 'Registered Model (name=m) already exists.',
    })
  })

  it('sets and deletes tags; deleting an absent tag is no error', async () => {
    await t.post('registered-models/create', { name: 'm' })
    expect(await t.post('registered-models/set-tag', { name: 'm', key: 'k', value: 'v1' })).toEqual(
      { status: 200, body: {} },
    )
    await t.post('registered-models/set-tag', { name: 'm', key: 'k', value: 'v2' })
    expect(
      (await t.get('registered-models/get', { name: 'm' })).body.registered_model.tags,
    ).toEqual([{ key: 'k', value: 'v2' }])
    expect(
      await sendJson(t, 'DELETE', 'registered-models/delete-tag', { name: 'm', key: 'k' }),
    ).toEqual({ status: 200, body: {} })
    expect(
      await sendJson(t, 'DELETE', 'registered-models/delete-tag', { name: 'm', key: 'k' }),
    ).toEqual({ status: 200, body: {} })
    expect(
      (await t.get('registered-models/get', { name: 'm' })).body.registered_model.tags,
    ).toBeUndefined()
    const bad = await t.post('registered-models/set-tag', { name: 'm', key: '../x', value: '' })
    expect(bad.status).toBe(400)
    expect(bad.body.message).toContain(`Invalid value for parameter 'key': "../x"`)
  })
})

describe('model-versions', () => {
  it('numbers versions 1..n per model and never reuses a deleted number', async () => {
    const { runId, source } = await runWithModel(t)
    await t.post('registered-models/create', { name: 'a' })
    await t.post('registered-models/create', { name: 'b' })
    const first = await t.post('model-versions/create', { name: 'a', source, run_id: runId })
    expect(first).toEqual({ status: 200, body: { model_version: version('a', 1, runId) } })
    expect(
      (await t.post('model-versions/create', { name: 'a', source })).body.model_version.version,
    ).toBe('2')
    expect(
      (await t.post('model-versions/create', { name: 'b', source })).body.model_version.version,
    ).toBe('1')
    expect(
      await sendJson(t, 'DELETE', 'model-versions/delete', { name: 'a', version: '2' }),
    ).toEqual({ status: 200, body: {} })
    expect(
      (await t.post('model-versions/create', { name: 'a', source })).body.model_version.version,
    ).toBe('3')
    expect(await t.get('model-versions/get', { name: 'a', version: '2' })).toEqual({
      status: 404,
      body: {
        error_code: 'RESOURCE_DOES_NOT_EXIST',
        message: 'Model Version (name=a, version=2) not found',
      },
    })
    expect(await t.get('model-versions/get', { name: 'a', version: '1' })).toEqual(first)
  })

  it('refuses a version of a model that does not exist, and a run_id other than the source run', async () => {
    const { source } = await runWithModel(t)
    expect(await t.post('model-versions/create', { name: 'x', source })).toEqual({
      status: 404,
      body: {
        error_code: 'RESOURCE_DOES_NOT_EXIST',
        message: 'Registered Model with name=x not found',
      },
    })
    await t.post('registered-models/create', { name: 'x' })
    const other = 'f'.repeat(32)
    const res = await t.post('model-versions/create', { name: 'x', source, run_id: other })
    expect(res.status).toBe(400)
    expect(res.body.message).toBe(
      `Invalid value for parameter 'run_id': '${other}' is not the run of 'source' ` +
        `(${source.slice(6, 38)})`,
    )
  })

  it('updates, transitions (archiving others), tags and gives the download URI', async () => {
    const { experimentId, runId, source } = await runWithModel(t)
    await t.post('registered-models/create', { name: 'm' })
    for (let i = 0; i < 3; i++) await t.post('model-versions/create', { name: 'm', source })
    vi.setSystemTime(NOW + 7)
    expect(
      await sendJson(t, 'PATCH', 'model-versions/update', {
        name: 'm',
        version: '1',
        description: 'first',
      }),
    ).toEqual({
      status: 200,
      body: {
        model_version: version('m', 1, runId, {
          description: 'first',
          last_updated_timestamp: NOW + 7,
        }),
      },
    })
    await t.post('model-versions/transition-stage', {
      name: 'm',
      version: '1',
      stage: 'production',
    })
    const moved = await t.post('model-versions/transition-stage', {
      name: 'm',
      version: 2,
      stage: 'Production',
      archive_existing_versions: true,
    })
    expect(moved.body.model_version.current_stage).toBe('Production')
    expect(
      (await t.get('model-versions/get', { name: 'm', version: '1' })).body.model_version
        .current_stage,
    ).toBe('Archived')
    const latest = await t.post('registered-models/get-latest-versions', { name: 'm' })
    expect(
      latest.body.model_versions.map((v: { version: string; current_stage: string }) => [
        v.version,
        v.current_stage,
      ]),
    ).toEqual([
      ['1', 'Archived'],
      ['2', 'Production'],
      ['3', 'None'],
    ])
    const production = await t.get('registered-models/get-latest-versions', {
      name: 'm',
      stages: 'Production',
    })
    expect(production.body.model_versions.map((v: { version: string }) => v.version)).toEqual(['2'])
    expect(
      (await t.post('model-versions/transition-stage', { name: 'm', version: '1', stage: 'Gold' }))
        .body,
    ).toEqual({
      error_code: 'INVALID_PARAMETER_VALUE',
      message:
        'Invalid Model Version stage: Gold. Value must be one of None, Staging, Production, Archived.',
    })
    const archiving = await t.post('model-versions/transition-stage', {
      name: 'm',
      version: '1',
      stage: 'Archived',
      archive_existing_versions: true,
    })
    expect(archiving.body.message).toBe(
      "Model version transition cannot archive existing model versions because 'Archived' is " +
        'not an Active stage. Valid stages are Staging, Production',
    )

    await t.post('model-versions/set-tag', { name: 'm', version: '3', key: 'k', value: 'v' })
    expect(
      (await t.get('model-versions/get', { name: 'm', version: '3' })).body.model_version.tags,
    ).toEqual([{ key: 'k', value: 'v' }])
    await sendJson(t, 'DELETE', 'model-versions/delete-tag', { name: 'm', version: '3', key: 'k' })
    expect(
      (await t.get('model-versions/get', { name: 'm', version: '3' })).body.model_version.tags,
    ).toBeUndefined()

    expect(await t.get('model-versions/get-download-uri', { name: 'm', version: '3' })).toEqual({
      status: 200,
      body: { artifact_uri: `mlflow-artifacts:/${experimentId}/${runId}/artifacts/model` },
    })
    expect((await t.get('model-versions/get', { name: 'm', version: 'one' })).body).toEqual({
      error_code: 'INVALID_PARAMETER_VALUE',
      message:
        "Invalid value for parameter 'version': model version must be a positive integer, got 'one'",
    })
  })

  it('records lineage: run, datasets, params, latest metrics and git commit at registration', async () => {
    const { experimentId, runId, source } = await runWithModel(t)
    await t.post('runs/log-batch', {
      run_id: runId,
      params: [{ key: 'lr', value: '0.1' }],
      metrics: [
        { key: 'auc', value: 0.8, timestamp: 1, step: 0 },
        { key: 'auc', value: 0.9, timestamp: 2, step: 1 },
      ],
      tags: [{ key: 'mlflow.source.git.commit', value: 'abc123' }],
    })
    await t.post('runs/log-inputs', {
      run_id: runId,
      datasets: [
        {
          tags: [{ key: 'mlflow.data.context', value: 'training' }],
          dataset: { name: 'flights', digest: 'd1', source_type: 'ballast', source: 'flights@1' },
        },
      ],
    })
    await t.post('registered-models/create', { name: 'm' })
    await t.post('model-versions/create', { name: 'm', source })
    // Later logging does not change the snapshot.
    await t.post('runs/log-metric', {
      run_id: runId,
      key: 'auc',
      value: 0.1,
      timestamp: 3,
      step: 2,
    })
    expect(await t.services.registry.versions.lineage('m', '1')).toEqual({
      runId,
      experimentId,
      runName: expect.any(String),
      artifactPath: 'model',
      datasets: [{ name: 'flights', digest: 'd1', source: 'flights@1', context: 'training' }],
      params: { lr: '0.1' },
      metrics: { auc: 0.9 },
      gitCommit: 'abc123',
      registeredAt: NOW,
    })
  })
})

describe('aliases', () => {
  it('sets, gets, moves and deletes an alias; the model and its version list it', async () => {
    const { runId, source } = await runWithModel(t)
    await t.post('registered-models/create', { name: 'm' })
    await t.post('model-versions/create', { name: 'm', source })
    await t.post('model-versions/create', { name: 'm', source })
    expect(
      await t.post('registered-models/alias', { name: 'm', alias: 'champion', version: '1' }),
    ).toEqual({ status: 200, body: {} })
    expect(await t.get('registered-models/alias', { name: 'm', alias: 'champion' })).toEqual({
      status: 200,
      body: { model_version: version('m', 1, runId, { aliases: ['champion'] }) },
    })
    await t.post('registered-models/alias', { name: 'm', alias: 'champion', version: 2 })
    const model = (await t.get('registered-models/get', { name: 'm' })).body.registered_model
    expect(model.aliases).toEqual([{ alias: 'champion', version: '2' }])
    const [moved] = await listAudit(t.services.store.db, { target: 'model:m', limit: 1 })
    expect(moved).toMatchObject({
      actor: 'anonymous',
      action: 'model.alias.set',
      target: 'model:m',
      detail: { alias: 'champion', version: 2, previous: 1 },
    })
    expect(
      await sendJson(t, 'DELETE', 'registered-models/alias', { name: 'm', alias: 'champion' }),
    ).toEqual({ status: 200, body: {} })
    expect(await t.get('registered-models/alias', { name: 'm', alias: 'champion' })).toEqual({
      status: 404,
      body: {
        error_code: 'RESOURCE_DOES_NOT_EXIST',
        message: 'Registered model alias champion not found.',
      },
    })
  })

  it('refuses reserved aliases and an alias to a missing version', async () => {
    const { source } = await runWithModel(t)
    await t.post('registered-models/create', { name: 'm' })
    await t.post('model-versions/create', { name: 'm', source })
    const cases: [string, string][] = [
      ['latest', "'latest' alias name (case insensitive) is reserved."],
      ['V3', "Version alias name 'V3' is reserved: aliases of the form v<number> name versions."],
    ]
    for (const [alias, message] of cases) {
      expect(await t.post('registered-models/alias', { name: 'm', alias, version: '1' })).toEqual({
        status: 400,
        body: { error_code: 'INVALID_PARAMETER_VALUE', message },
      })
    }
    expect(
      await t.post('registered-models/alias', { name: 'm', alias: 'a', version: '9' }),
    ).toEqual({
      status: 404,
      body: {
        error_code: 'RESOURCE_DOES_NOT_EXIST',
        message: 'Model Version (name=m, version=9) not found',
      },
    })
  })

  it('compare-and-set: moves only from the expected version, else 409 CONFLICT', async () => {
    const { source } = await runWithModel(t)
    await t.post('registered-models/create', { name: 'm' })
    for (let i = 0; i < 3; i++) await t.post('model-versions/create', { name: 'm', source })
    const unset = await t.post('registered-models/alias', {
      name: 'm',
      alias: 'prod',
      version: '2',
      expected_version: '1',
    })
    expect(unset).toEqual({
      status: 409,
      body: {
        error_code: 'CONFLICT',
        message:
          "Alias 'prod' of registered model 'm' is not set, not version 1 as expected_version " +
          'says; it was not moved',
      },
    })
    await t.post('registered-models/alias', { name: 'm', alias: 'prod', version: '1' })
    // Two automations both read version 1 and promote: the first wins, the second is told.
    const first = await t.post('registered-models/alias', {
      name: 'm',
      alias: 'prod',
      version: '2',
      expected_version: '1',
    })
    const second = await t.post('registered-models/alias', {
      name: 'm',
      alias: 'prod',
      version: '3',
      expected_version: '1',
    })
    expect(first).toEqual({ status: 200, body: {} })
    expect(second.status).toBe(409)
    expect(second.body.message).toBe(
      "Alias 'prod' of registered model 'm' points at version 2, not version 1 as " +
        'expected_version says; it was not moved',
    )
    expect(
      (await t.get('registered-models/alias', { name: 'm', alias: 'prod' })).body.model_version
        .version,
    ).toBe('2')
  })

  it('deleting a version removes its aliases', async () => {
    const { source } = await runWithModel(t)
    await t.post('registered-models/create', { name: 'm' })
    await t.post('model-versions/create', { name: 'm', source })
    await t.post('registered-models/alias', { name: 'm', alias: 'prod', version: '1' })
    await sendJson(t, 'DELETE', 'model-versions/delete', { name: 'm', version: '1' })
    expect((await t.get('registered-models/alias', { name: 'm', alias: 'prod' })).status).toBe(404)
    expect(
      (await t.get('registered-models/get', { name: 'm' })).body.registered_model.aliases,
    ).toBeUndefined()
  })
})

describe('the same routes under /ajax-api', () => {
  it('answers registered-models/get there too', async () => {
    await t.post('registered-models/create', { name: 'm' })
    const res = await t.request('/ajax-api/2.0/mlflow/registered-models/get?name=m')
    expect(res.status).toBe(200)
    expect(
      ((await res.json()) as { registered_model: { name: string } }).registered_model.name,
    ).toBe('m')
  })
})
