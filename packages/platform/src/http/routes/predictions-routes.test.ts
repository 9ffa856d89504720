import { writeFileSync } from 'node:fs'
import path from 'node:path'
import type { Hono } from 'hono'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { DuckEngine } from '../../data/index.js'
import { type TestData, openTestData } from '../../data/test-support/open-test-data.js'
import { PredictionLog } from '../../serving/index.js'
import { type AppEnv, createApp } from '../app.js'
import { readJson } from '../test-support/open-test-app.js'

const T0 = Date.UTC(2026, 10, 26, 12, 0, 0)

let t: TestData
let app: Hono<AppEnv>
let engine: DuckEngine
beforeAll(async () => {
  t = await openTestData()
  app = createApp({ services: t.services })
  engine = await DuckEngine.open({ threads: 1 })
  const log = new PredictionLog({ store: t.store, artifacts: t.artifacts, flushIntervalMs: 0 })
  for (let i = 0; i < 4; i++) {
    log.append({
      requestId: `req-${i}`,
      deployment: 'churn',
      model: 'churn-model',
      version: 2,
      time: T0 + i * 60_000,
      latencyMs: 2,
      inputs: `{"tenure":${i}}`,
      outputs: `{"prediction":"yes"}`,
      shadow: false,
    })
  }
  await log.close()
})
afterAll(async () => {
  engine.close()
  await t.dispose()
})

const postFeedback = (name: string, body: unknown) =>
  app.request(`/api/v1/deployments/${encodeURIComponent(name)}/feedback`, {
    method: 'POST',
    headers: { 'Content-Type': 'application/json' },
    body: JSON.stringify(body),
  })

describe('POST /api/v1/deployments/:name/feedback', () => {
  it('records an array of labels: 200 {"recorded": n}', async () => {
    const res = await postFeedback('churn', [
      { request_id: 'req-1', label: 'no' },
      { request_id: 'req-2', label: 'yes' },
    ])
    expect(res.status).toBe(200)
    expect(await readJson(res)).toEqual({ recorded: 2 })
  })

  it('takes {"feedback": [...]} too, and a later label replaces the earlier', async () => {
    const res = await postFeedback('churn', { feedback: [{ request_id: 'req-2', label: 'no' }] })
    expect(await readJson(res)).toEqual({ recorded: 1 })
    const row = await t.store.db
      .selectFrom('prediction_feedback')
      .select('label')
      .where('deployment', '=', 'churn')
      .where('request_id', '=', 'req-2')
      .executeTakeFirst()
    expect(row).toEqual({ label: 'no' })
  })

  it('answers 400 naming the bad item, recording nothing', async () => {
    const res = await postFeedback('churn', [
      { request_id: 'req-3', label: 'no' },
      { request_id: 'req-0', label: { value: 1 } },
    ])
    expect(res.status).toBe(400)
    expect(await readJson(res)).toEqual({
      error_code: 'INVALID_PARAMETER_VALUE',
      message:
        "Invalid value for parameter 'feedback[1].label': expected a string, number or boolean",
    })
  })

  it('answers 400 past 10,000 items, and for a body that is no list', async () => {
    const items = Array.from({ length: 10_001 }, (_, i) => ({ request_id: `r${i}`, label: 1 }))
    const tooMany = await postFeedback('churn', items)
    expect(tooMany.status).toBe(400)
    expect((await readJson(tooMany)).message).toBe(
      "Invalid value for parameter 'feedback': 10001 items; at most 10000 per request",
    )
    expect((await postFeedback('churn', { labels: [] })).status).toBe(400)
  })
})

describe('GET /api/v1/deployments/:name/predictions', () => {
  it('streams the range as Parquet joined with labels, counting rows in headers', async () => {
    const from = new Date(T0 + 60_000).toISOString()
    const to = new Date(T0 + 180_000).toISOString()
    const res = await app.request(`/api/v1/deployments/churn/predictions?from=${from}&to=${to}`)
    expect(res.status).toBe(200)
    expect(res.headers.get('content-type')).toBe('application/vnd.apache.parquet')
    expect(res.headers.get('x-ballast-rows')).toBe('2')
    expect(res.headers.get('x-ballast-labeled')).toBe('2')
    const file = path.join(t.dir, 'export.parquet')
    writeFileSync(file, new Uint8Array(await res.arrayBuffer()))
    expect(
      await engine.all(
        `SELECT request_id, epoch_ms(time) AS time_ms, inputs, label FROM read_parquet('${file}') ORDER BY time`,
      ),
    ).toEqual([
      { request_id: 'req-1', time_ms: T0 + 60_000, inputs: '{"tenure":1}', label: 'no' },
      { request_id: 'req-2', time_ms: T0 + 120_000, inputs: '{"tenure":2}', label: 'no' },
    ])
  })

  it('without a range exports everything logged', async () => {
    const res = await app.request('/api/v1/deployments/churn/predictions')
    expect(res.headers.get('x-ballast-rows')).toBe('4')
    await res.arrayBuffer()
  })

  it('answers 400 naming a time it cannot read', async () => {
    const res = await app.request('/api/v1/deployments/churn/predictions?from=yesterday')
    expect(res.status).toBe(400)
    expect((await readJson(res)).message).toMatch(
      /^Invalid value for parameter 'from': "yesterday"/,
    )
  })
})

describe('permissions', () => {
  it('viewers read predictions; recording feedback needs an editor', async () => {
    const authed = createApp({ services: t.services, auth: { enabled: true } })
    const viewer = await t.services.tokens.createToken({ name: 'dashboards', role: 'viewer' })
    const headers = { Authorization: `Bearer ${viewer.token}`, 'Content-Type': 'application/json' }
    const post = await authed.request('/api/v1/deployments/churn/feedback', {
      method: 'POST',
      headers,
      body: JSON.stringify([{ request_id: 'req-0', label: 'no' }]),
    })
    expect(post.status).toBe(403)
    expect((await readJson(post)).message).toBe(
      "POST /api/v1/deployments/:name/feedback requires the editor role; 'dashboards' has the viewer role",
    )
    const get = await authed.request('/api/v1/deployments/churn/predictions', { headers })
    expect(get.status).toBe(200)
    expect(get.headers.get('x-ballast-rows')).toBe('4')
    await get.arrayBuffer()
  })
})
