import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { openTestPostgresStore } from '../../storage/test-support/test-stores.js'
import { type MlflowTestClient, openMlflowTestClient } from './test-support/mlflow-test-client.js'
import {
  expectConcurrentCreatesNumberedOnce,
  expectOneCompareAndSetWinner,
} from './test-support/registry-races.js'
import { sendJson } from './test-support/registry-test-helpers.js'

let t: MlflowTestClient

beforeEach(async () => {
  t = await openMlflowTestClient(openTestPostgresStore)
})

afterEach(async () => {
  await t.dispose()
})

describe('MLflow model registry API on PostgreSQL', () => {
  it('runs the core flow: model, versions, alias, search, rename, delete', async () => {
    const { experimentId, runId } = await t.createRun('pg')
    await t.post('runs/log-parameter', { run_id: runId, key: 'depth', value: '6' })
    expect(
      (await t.post('registered-models/create', { name: 'pg', tags: [{ key: 't', value: 'v' }] }))
        .status,
    ).toBe(200)
    const source = `mlflow-artifacts:/${experimentId}/${runId}/artifacts/model`
    const v1 = await t.post('model-versions/create', { name: 'pg', source, run_id: runId })
    expect(v1.body.model_version).toMatchObject({ version: '1', run_id: runId, source })
    await t.post('model-versions/create', { name: 'pg', source: `runs:/${runId}/model` })
    await t.post('registered-models/alias', { name: 'pg', alias: 'champion', version: '2' })
    expect(
      (await t.get('registered-models/alias', { name: 'pg', alias: 'champion' })).body.model_version
        .aliases,
    ).toEqual(['champion'])
    expect(
      (await t.get('registered-models/search', { filter: "name ILIKE 'PG' AND tags.t = 'v'" })).body
        .registered_models.length,
    ).toBe(1)
    expect(
      (await t.get('model-versions/search', { filter: `run_id = '${runId}'`, max_results: 1 })).body
        .next_page_token,
    ).toEqual(expect.any(String))
    expect((await t.services.registry.versions.lineage('pg', '1')).params).toEqual({ depth: '6' })

    await t.post('registered-models/rename', { name: 'pg', new_name: 'pg2' })
    const renamed = (await t.get('registered-models/get', { name: 'pg2' })).body.registered_model
    expect(renamed.aliases).toEqual([{ alias: 'champion', version: '2' }])
    expect(renamed.latest_versions.map((v: { name: string }) => v.name)).toEqual(['pg2'])
    expect(await sendJson(t, 'DELETE', 'registered-models/delete', { name: 'pg2' })).toEqual({
      status: 200,
      body: {},
    })
    expect(await t.get('model-versions/search', {})).toEqual({ status: 200, body: {} })
  })

  it('numbers 20 concurrent version creates 1..20', async () => {
    await expectConcurrentCreatesNumberedOnce(t, 20)
  })

  it('lets exactly one of four concurrent compare-and-set promotions win', async () => {
    await expectOneCompareAndSetWinner(t)
  })
})
