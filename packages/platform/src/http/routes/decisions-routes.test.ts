import { DecisionResponse, ListDecisionsResponse } from '@ballast/contracts'
import type { Hono } from 'hono'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { type TestData, openTestData } from '../../data/test-support/open-test-data.js'
import { parsePolicy } from '../../orchestration/index.js'
import { type AppEnv, createApp } from '../app.js'
import { readJson } from '../test-support/open-test-app.js'

let t: TestData
let app: Hono<AppEnv>
let editor: Record<string, string>
let viewer: Record<string, string>

const POLICY = parsePolicy(
  { rules: [{ metric: 'roc_auc', min_improvement: 0.005 }, { approval: 'required' }] },
  'test',
)

beforeAll(async () => {
  t = await openTestData()
  app = createApp({ services: t.services, auth: { enabled: true } })
  const e = await t.services.tokens.createToken({ name: 'reviewer', role: 'editor' })
  const v = await t.services.tokens.createToken({ name: 'watcher', role: 'viewer' })
  editor = { Authorization: `Bearer ${e.token}` }
  viewer = { Authorization: `Bearer ${v.token}` }
  const decisions = t.services.orchestration.decisions
  const input = { policy: POLICY, championVersion: 1 }
  await decisions.decide(
    {
      ...input,
      model: 'loans',
      challengerVersion: 2,
      facts: { challenger: { roc_auc: 0.7 }, champion: { roc_auc: 0.75 } },
    },
    'system:pipeline:retrain',
  )
  await decisions.decide(
    {
      ...input,
      model: 'fraud',
      challengerVersion: 4,
      facts: { challenger: { roc_auc: 0.81 }, champion: { roc_auc: 0.8 } },
    },
    'system:pipeline:fraud',
  )
})
afterAll(() => t.dispose())

const get = (path: string, headers = viewer) => app.request(`/api/v1/decisions${path}`, { headers })

describe('decisions API', () => {
  it('lists newest first, filters by model, and shows one rule by rule', async () => {
    const all = ListDecisionsResponse.parse(await readJson(await get('')))
    expect(all.decisions.map((d) => [d.id, d.model, d.status])).toEqual([
      [2, 'fraud', 'pending_approval'],
      [1, 'loans', 'failed'],
    ])
    const loans = ListDecisionsResponse.parse(await readJson(await get('?model=loans')))
    expect(loans.decisions.map((d) => d.id)).toEqual([1])
    const shown = DecisionResponse.parse(await readJson(await get('/1')))
    expect(shown.decision).toEqual({
      id: 1,
      model: 'loans',
      challenger_version: 2,
      champion_version: 1,
      status: 'failed',
      passed: false,
      policy: { rules: [{ metric: 'roc_auc', min_improvement: 0.005 }, { approval: 'required' }] },
      facts: { challenger: { roc_auc: 0.7 }, champion: { roc_auc: 0.75 } },
      rules: [
        {
          rule: 'roc_auc >= champion + 0.005',
          passed: false,
          reason: 'challenger roc_auc 0.7000 < champion 0.7500 + 0.005 = 0.7550',
        },
        { rule: 'approval required', passed: null, reason: 'awaiting approval' },
      ],
      pipeline_run: null,
      decided_at: expect.any(Number),
      decided_by: 'system:pipeline:retrain',
      approved_by: null,
      approved_at: null,
    })
  })

  it('approves as an editor only, once, and only decisions waiting for it', async () => {
    const denied = await app.request('/api/v1/decisions/2/approve', {
      method: 'POST',
      headers: viewer,
    })
    expect(denied.status).toBe(403)
    const res = await app.request('/api/v1/decisions/2/approve', {
      method: 'POST',
      headers: editor,
    })
    expect(res.status).toBe(200)
    const { decision } = DecisionResponse.parse(await readJson(res))
    expect(decision).toMatchObject({ status: 'passed', passed: true, approved_by: 'reviewer' })
    expect(decision.rules[1]?.reason).toMatch(/^approved by reviewer at /)
    const again = await app.request('/api/v1/decisions/2/approve', {
      method: 'POST',
      headers: editor,
    })
    expect(again.status).toBe(400)
    expect(await readJson(again)).toEqual({
      error_code: 'INVALID_STATE',
      message:
        'Promotion decision 2 is passed, not pending_approval: only a decision waiting for approval can be approved',
    })
    const failed = await app.request('/api/v1/decisions/1/approve', {
      method: 'POST',
      headers: editor,
    })
    expect(failed.status).toBe(400)
  })

  it('names a missing or malformed id', async () => {
    const missing = await get('/99')
    expect(missing.status).toBe(404)
    expect(await readJson(missing)).toEqual({
      error_code: 'RESOURCE_DOES_NOT_EXIST',
      message: 'Promotion decision 99 not found',
    })
    const bad = await get('/abc')
    expect(bad.status).toBe(400)
    expect(await readJson(bad)).toMatchObject({
      message: `Invalid value for parameter 'id': "abc"; expected a decision id (a positive integer)`,
    })
  })
})
