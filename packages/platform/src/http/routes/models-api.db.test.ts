import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { openTestPostgresStore } from '../../storage/test-support/test-stores.js'
import { OnnxGraphBuilder } from '../../training/index.js'
import { readJson } from '../test-support/open-test-app.js'
import { type MlflowTestClient, openMlflowTestClient } from './test-support/mlflow-test-client.js'
import { sendJson } from './test-support/registry-test-helpers.js'

let t: MlflowTestClient

beforeEach(async () => {
  t = await openMlflowTestClient(openTestPostgresStore)
})

afterEach(async () => {
  await t.dispose()
})

const ONNX = new OnnxGraphBuilder()
  .input('x', 'float', ['N', 1])
  .node({ opType: 'Identity', inputs: ['x'], outputs: ['y'] })
  .output('y', 'float', ['N', 1])
  .build()

describe('model details on PostgreSQL', () => {
  it('imports, lists datasets by digest, renames and deletes in step with the versions', async () => {
    const imported = await t.request('/api/v1/models/pg-model/import', {
      method: 'POST',
      body: ONNX,
    })
    expect(imported.status).toBe(201)
    const { runId } = await t.createRun('pg')
    await t.post('runs/log-inputs', {
      run_id: runId,
      datasets: [
        {
          tags: [{ key: 'mlflow.data.context', value: 'training' }],
          dataset: {
            name: 'd',
            digest: 'b'.repeat(36),
            source_type: 'ballast',
            source: 'ballast:d@3',
          },
        },
      ],
    })
    await t.post('model-versions/create', { name: 'pg-model', source: `runs:/${runId}/model` })
    const db = t.services.store.db
    expect(
      (await db.selectFrom('model_version_datasets').selectAll().execute()).map((r) => ({
        ...r,
        version: Number(r.version),
        dataset_version: Number(r.dataset_version),
        position: Number(r.position),
      })),
    ).toEqual([
      {
        name: 'pg-model',
        version: 2,
        position: 0,
        dataset_name: 'd',
        dataset_version: 3,
        digest: 'b'.repeat(36),
        context: 'training',
      },
    ])
    const details = await db
      .selectFrom('model_version_details')
      .select(['name', 'version', 'onnx_size', 'flavor'])
      .orderBy('version')
      .execute()
    expect(details.map((r) => [r.name, Number(r.version), r.onnx_size, r.flavor])).toEqual([
      ['pg-model', 1, ONNX.length, 'onnx'],
      ['pg-model', 2, null, null],
    ])

    await t.post('registered-models/rename', { name: 'pg-model', new_name: 'pg2' })
    const latest = await t.request('/api/v1/models/pg2/versions/1')
    expect((await readJson(latest)).details.onnx_size).toBe(ONNX.length)
    await sendJson(t, 'DELETE', 'model-versions/delete', { name: 'pg2', version: '2' })
    expect(await db.selectFrom('model_version_datasets').selectAll().execute()).toEqual([])
    await sendJson(t, 'DELETE', 'registered-models/delete', { name: 'pg2' })
    expect(await db.selectFrom('model_version_details').selectAll().execute()).toEqual([])
  })
})
