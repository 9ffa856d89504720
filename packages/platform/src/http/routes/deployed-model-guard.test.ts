import type { Hono } from 'hono'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { type TestData, openTestData } from '../../data/test-support/open-test-data.js'
import { importVersions } from '../../serving/deployments/test-support/deployment-fixtures.js'
import { type AppEnv, createApp } from '../app.js'
import { readJson } from '../test-support/open-test-app.js'

let t: TestData
let app: Hono<AppEnv>
beforeAll(async () => {
  t = await openTestData()
  app = createApp({ services: t.services })
  await importVersions(t.services, 'fraud', 3)
  await t.services.serving.deployments.create({ name: 'fraud-live', model: 'fraud/2' }, 'ops')
})
afterAll(async () => {
  await t.dispose()
})

const call = (method: string, path: string, body: unknown) =>
  app.request(`/api/2.0/mlflow/${path}`, {
    method,
    headers: { 'Content-Type': 'application/json' },
    body: JSON.stringify(body),
  })

describe('registry changes under a live deployment', () => {
  it('refuses to delete a served version or the model, or to rename it: 409 naming the deployment', async () => {
    for (const [method, path, body, message] of [
      [
        'DELETE',
        'model-versions/delete',
        { name: 'fraud', version: '2' },
        "cannot delete version 2 of 'fraud': deployment 'fraud-live' serves it",
      ],
      [
        'DELETE',
        'registered-models/delete',
        { name: 'fraud' },
        "cannot delete model 'fraud': deployment 'fraud-live' serves it",
      ],
      [
        'POST',
        'registered-models/rename',
        { name: 'fraud', new_name: 'fraud2' },
        "cannot rename model 'fraud': deployment 'fraud-live' serves it",
      ],
    ] as const) {
      const res = await call(method, path, body)
      expect(res.status).toBe(409)
      const error = (await readJson(res)) as { error_code: string; message: string }
      expect(error.error_code).toBe('CONFLICT')
      expect(error.message).toContain(message)
    }
    expect((await t.services.registry.versions.get('fraud', '2')).version).toBe('2')
  })

  it('lets a version no deployment uses go', async () => {
    expect(
      (await call('DELETE', 'model-versions/delete', { name: 'fraud', version: '3' })).status,
    ).toBe(200)
    await t.services.serving.deployments.delete('fraud-live', 'ops')
    expect(
      (await call('DELETE', 'model-versions/delete', { name: 'fraud', version: '2' })).status,
    ).toBe(200)
  })
})
