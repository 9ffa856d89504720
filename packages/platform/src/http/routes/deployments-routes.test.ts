import {
  DeploymentEventsResponse,
  DeploymentResponse,
  GetDeploymentResponse,
  ListDeploymentsResponse,
} from '@ballast/contracts'
import type { Hono } from 'hono'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { type TestData, openTestData } from '../../data/test-support/open-test-data.js'
import { importVersions } from '../../serving/deployments/test-support/deployment-fixtures.js'
import { type AppEnv, createApp } from '../app.js'
import { readJson } from '../test-support/open-test-app.js'

let t: TestData
let app: Hono<AppEnv>
let editor: Record<string, string>
let viewer: Record<string, string>

beforeAll(async () => {
  t = await openTestData()
  app = createApp({ services: t.services, auth: { enabled: true } })
  const e = await t.services.tokens.createToken({ name: 'deployer', role: 'editor' })
  const v = await t.services.tokens.createToken({ name: 'watcher', role: 'viewer' })
  editor = { Authorization: `Bearer ${e.token}`, 'Content-Type': 'application/json' }
  viewer = { Authorization: `Bearer ${v.token}` }
  await importVersions(t.services, 'fraud', 3)
  await t.services.registry.aliases.set({ name: 'fraud', alias: 'champion', version: '1' })
})
afterAll(async () => {
  await t.dispose()
})

const send = (method: string, path: string, body?: unknown, headers = editor) =>
  app.request(`/api/v1/deployments${path}`, {
    method,
    headers,
    ...(body === undefined ? {} : { body: JSON.stringify(body) }),
  })

describe('deployments API', () => {
  it('POST creates (201), GET lists with the revision and shows one with its events', async () => {
    const res = await send('POST', '', { name: 'fraud-api', model: 'fraud@champion' })
    expect(res.status).toBe(201)
    const { deployment } = DeploymentResponse.parse(await readJson(res))
    expect(deployment).toEqual({
      name: 'fraud-api',
      model: 'fraud',
      target: { kind: 'alias', alias: 'champion' },
      version: 1,
      previous_version: null,
      canary: null,
      shadow: null,
      revision: 1,
      created_by: 'deployer',
      created_at: expect.any(Number),
      updated_at: deployment.created_at,
    })
    const list = ListDeploymentsResponse.parse(
      await readJson(await send('GET', '', undefined, viewer)),
    )
    expect(list).toEqual({ deployments: [deployment], revision: 1 })
    const shown = GetDeploymentResponse.parse(
      await readJson(await send('GET', '/fraud-api', undefined, viewer)),
    )
    expect(shown.deployment).toEqual(deployment)
    expect(shown.events).toEqual([
      {
        id: expect.any(Number),
        deployment: 'fraud-api',
        time: deployment.created_at,
        actor: 'deployer',
        action: 'create',
        revision: 1,
        before: null,
        after: deployment,
        detail: 'serves fraud@champion (version 1)',
      },
    ])
  })

  it('canary by MODEL/VERSION or version, shadow, promote, rollback', async () => {
    const canary = await send('POST', '/fraud-api/canary', { model: 'fraud/2', percent: 10 })
    expect(canary.status).toBe(200)
    expect((await readJson(canary)).deployment.canary).toEqual({ version: 2, percent: 10 })
    const byNumber = await readJson(
      await send('POST', '/fraud-api/canary', { version: 3, percent: 25 }),
    )
    expect(byNumber.deployment.canary).toEqual({ version: 3, percent: 25 })
    const shadow = await readJson(await send('POST', '/fraud-api/shadow', { version: 2 }))
    expect(shadow.deployment.shadow).toEqual({ version: 2 })
    const promoted = await readJson(await send('POST', '/fraud-api/promote'))
    expect(promoted.deployment).toMatchObject({ version: 3, previous_version: 1, canary: null })
    const rolled = await readJson(await send('POST', '/fraud-api/rollback'))
    expect(rolled.deployment).toMatchObject({ version: 1, previous_version: 3 })
    const shadowOff = await readJson(await send('DELETE', '/fraud-api/shadow'))
    expect(shadowOff.deployment.shadow).toBeNull()
    await send('POST', '/fraud-api/canary', { version: 2, percent: 5 })
    const canaryOff = await readJson(await send('DELETE', '/fraud-api/canary'))
    expect(canaryOff.deployment.canary).toBeNull()

    const events = DeploymentEventsResponse.parse(
      await readJson(await send('GET', '/fraud-api/events?limit=3', undefined, viewer)),
    )
    expect(events.events.map((e) => [e.action, e.actor])).toEqual([
      ['canary-off', 'deployer'],
      ['canary', 'deployer'],
      ['shadow-off', 'deployer'],
    ])
  })

  it('answers errors with their status and the parameter named', async () => {
    const cases: [Response, number, string, RegExp][] = [
      [
        await send('POST', '', { name: 'x', model: 'fraud/9' }),
        400,
        'INVALID_PARAMETER_VALUE',
        /'model'/,
      ],
      [
        await send('POST', '', { name: 'fraud-api', model: 'fraud/2' }),
        400,
        'RESOURCE_ALREADY_EXISTS',
        /fraud-api/,
      ],
      [await send('POST', '', { name: 'y' }), 400, 'INVALID_PARAMETER_VALUE', /model/],
      [await send('GET', '/nope', undefined, viewer), 404, 'RESOURCE_DOES_NOT_EXIST', /'nope'/],
      [await send('POST', '/fraud-api/promote'), 409, 'CONFLICT', /no canary/],
      [
        await send('POST', '/fraud-api/canary', { version: 2, percent: 100 }),
        400,
        'INVALID_PARAMETER_VALUE',
        /'percent'/,
      ],
      [
        await send('POST', '/fraud-api/canary', { version: 2, model: 'fraud/2', percent: 5 }),
        400,
        'INVALID_PARAMETER_VALUE',
        /either 'model'/,
      ],
      [
        await send('POST', '/fraud-api/shadow', {}),
        400,
        'INVALID_PARAMETER_VALUE',
        /either 'model'/,
      ],
      [
        await send('GET', '/fraud-api/events?limit=0', undefined, viewer),
        400,
        'INVALID_PARAMETER_VALUE',
        /limit/,
      ],
    ]
    for (const [res, status, code, message] of cases) {
      const body = await readJson(res)
      expect([res.status, body.error_code]).toEqual([status, code])
      expect(body.message).toMatch(message)
    }
  })

  it('viewers read but do not change; without a token nothing is readable', async () => {
    const refused = await send('POST', '/fraud-api/rollback', undefined, viewer)
    expect(refused.status).toBe(403)
    expect((await send('DELETE', '/fraud-api', undefined, viewer)).status).toBe(403)
    expect((await app.request('/api/v1/deployments')).status).toBe(401)
  })

  it('DELETE answers the deployment as it was; its events stay readable', async () => {
    await send('POST', '', { name: 'gone', model: 'fraud/1' })
    const res = await send('DELETE', '/gone')
    expect(res.status).toBe(200)
    expect((await readJson(res)).deployment).toMatchObject({ name: 'gone', version: 1 })
    expect((await send('GET', '/gone', undefined, viewer)).status).toBe(404)
    const events = await readJson(await send('GET', '/gone/events', undefined, viewer))
    expect(events.events.map((e: { action: string }) => e.action)).toEqual(['delete', 'create'])
  })
})
