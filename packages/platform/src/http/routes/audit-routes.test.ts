import { AuditLogResponse, AuditVerifyResponse } from '@ballast/contracts'
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
  const e = await t.services.tokens.createToken({ name: 'deployer', role: 'editor' }, 'setup')
  const v = await t.services.tokens.createToken({ name: 'watcher', role: 'viewer' }, 'setup')
  editor = { Authorization: `Bearer ${e.token}`, 'Content-Type': 'application/json' }
  viewer = { Authorization: `Bearer ${v.token}` }
  await importVersions(t.services, 'fraud', 2)
  // Through the API, so the token's name is what the log records.
  const created = await app.request('/api/v1/deployments', {
    method: 'POST',
    headers: editor,
    body: JSON.stringify({ name: 'fraud-api', model: 'fraud/1' }),
  })
  expect(created.status).toBe(201)
  const aliased = await app.request('/api/2.0/mlflow/registered-models/alias', {
    method: 'POST',
    headers: editor,
    body: JSON.stringify({ name: 'fraud', alias: 'champion', version: '2' }),
  })
  expect(aliased.status).toBe(200)
})
afterAll(async () => {
  await t.dispose()
})

async function log(query = '') {
  const res = await app.request(`/api/v1/audit${query}`, { headers: viewer })
  expect(res.status).toBe(200)
  const { entries } = AuditLogResponse.parse(await readJson(res))
  return entries.map((e) => [e.seq, e.actor, e.action, e.target])
}

describe('GET /api/v1/audit', () => {
  it('lists every change newest first, with who made it', async () => {
    expect(await log()).toEqual([
      [7, 'deployer', 'model.alias.set', 'model:fraud'],
      [6, 'deployer', 'deployment.create', 'deployment:fraud-api'],
      [5, 'trainer', 'model.import', 'model:fraud/2'],
      [4, 'trainer', 'model.import', 'model:fraud/1'],
      [3, 'trainer', 'model.create', 'model:fraud'],
      [2, 'setup', 'token.create', 'token:watcher'],
      [1, 'setup', 'token.create', 'token:deployer'],
    ])
  })

  it('filters by target (exact, or a prefix ending in *), actor, action, after_seq and limit', async () => {
    expect((await log('?target=model:fraud')).map((e) => e[0])).toEqual([7, 3])
    expect((await log('?target=model:fraud*')).map((e) => e[0])).toEqual([7, 5, 4, 3])
    expect((await log('?actor=deployer')).map((e) => e[0])).toEqual([7, 6])
    expect((await log('?action=model.import')).map((e) => e[0])).toEqual([5, 4])
    expect((await log('?after_seq=5')).map((e) => e[0])).toEqual([7, 6])
    expect((await log('?limit=2&actor=trainer')).map((e) => e[0])).toEqual([5, 4])
  })

  it('answers the whole entry: digests, detail and chain', async () => {
    const res = await app.request('/api/v1/audit?limit=1', { headers: viewer })
    const [entry] = AuditLogResponse.parse(await readJson(res)).entries
    expect(entry).toEqual({
      seq: 7,
      time: expect.any(Number),
      actor: 'deployer',
      action: 'model.alias.set',
      target: 'model:fraud',
      before_digest: null,
      after_digest: expect.stringMatching(/^[0-9a-f]{64}$/),
      detail: { alias: 'champion', version: 2, previous: null },
      prev_hash: expect.stringMatching(/^[0-9a-f]{64}$/),
      hash: expect.stringMatching(/^[0-9a-f]{64}$/),
    })
  })

  it('refuses a bad limit naming it, and a caller without a token', async () => {
    const bad = await app.request('/api/v1/audit?limit=0', { headers: viewer })
    expect(bad.status).toBe(400)
    expect((await readJson(bad)).message).toContain('limit')
    expect((await app.request('/api/v1/audit')).status).toBe(401)
  })
})

describe('GET /api/v1/audit/verify', () => {
  it('verifies the chain, then names the first entry edited behind its back', async () => {
    const latest = await app.request('/api/v1/audit?limit=1', { headers: viewer })
    const head = AuditLogResponse.parse(await readJson(latest)).entries[0]!.hash
    const ok = await app.request('/api/v1/audit/verify', { headers: viewer })
    expect(ok.status).toBe(200)
    expect(AuditVerifyResponse.parse(await readJson(ok))).toEqual({
      ok: true,
      entries: 7,
      head,
      problem: null,
    })

    await t.store.db
      .updateTable('audit_log')
      .set({ target: 'model:other/1' })
      .where('seq', '=', 4)
      .execute()
    const broken = await app.request('/api/v1/audit/verify', { headers: viewer })
    expect(broken.status).toBe(200)
    expect(AuditVerifyResponse.parse(await readJson(broken))).toEqual({
      ok: false,
      entries: 3,
      head: expect.stringMatching(/^[0-9a-f]{64}$/),
      problem: {
        seq: 4,
        kind: 'edited',
        message: 'entry 4 was edited: its fields no longer give its hash',
      },
    })
  })
})
