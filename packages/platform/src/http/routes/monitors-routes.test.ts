import {
  AddWebhookResponse,
  DeliveriesResponse,
  GetMonitorResponse,
  ListMonitorsResponse,
  MonitorEventsResponse,
  MonitorResponse,
  MonitorResultsResponse,
  MonitorWindowResponse,
} from '@ballast/contracts'
import type { Hono } from 'hono'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import {
  type MonitoredDeployment,
  applicants,
  openMonitoredDeployment,
  seeded,
} from '../../monitoring/monitors/test-support/monitored-deployment.js'
import { type AppEnv, createApp } from '../app.js'
import { readJson } from '../test-support/open-test-app.js'

let d: MonitoredDeployment
let app: Hono<AppEnv>
let editor: Record<string, string>
let viewer: Record<string, string>
const SINCE = Date.now() - 7_200_000
const SERVED = Date.now() - 3_600_000

beforeAll(async () => {
  d = await openMonitoredDeployment()
  app = createApp({ services: d.t.services, auth: { enabled: true } })
  const e = await d.t.services.tokens.createToken({ name: 'mlops', role: 'editor' })
  const v = await d.t.services.tokens.createToken({ name: 'watcher', role: 'viewer' })
  editor = { Authorization: `Bearer ${e.token}`, 'Content-Type': 'application/json' }
  viewer = { Authorization: `Bearer ${v.token}` }
}, 120_000)
afterAll(async () => {
  await d.dispose()
})

const send = (method: string, path: string, body?: unknown, headers = editor) =>
  app.request(path, {
    method,
    headers,
    ...(body === undefined ? {} : { body: JSON.stringify(body) }),
  })
const get = (path: string) => send('GET', path, undefined, viewer)

describe('monitors API', () => {
  let created: MonitorResponse['monitor']

  it('POST creates a monitor (201) with its resolved options; GET lists and shows it', async () => {
    const res = await send('POST', '/api/v1/monitors', {
      deployment: 'loans',
      every: '500 predictions',
      since: new Date(SINCE).toISOString(),
      options: { performance_tolerance: 0.1, quality: { missing_share: 0.1 } },
    })
    expect(res.status).toBe(201)
    created = MonitorResponse.parse(await readJson(res)).monitor
    expect(created).toEqual({
      name: 'loans',
      deployment: 'loans',
      every: '500 predictions',
      reference: 'training',
      options: {
        stattest: null,
        num_stattest: null,
        cat_stattest: null,
        per_column_stattest: null,
        threshold: null,
        drift_share: 0.5,
        columns: null,
        detector: 'adwin',
        performance_tolerance: 0.1,
        min_labeled: 100,
        quality: { missing_share: 0.1, new_category_share: 0.01, out_of_range_share: 0.05 },
      },
      cursor: { time: SINCE, request_id: null },
      windows: 0,
      created_by: 'mlops',
      created_at: expect.any(Number),
      updated_at: created.created_at,
    })
    const list = ListMonitorsResponse.parse(await readJson(await get('/api/v1/monitors')))
    expect(list).toEqual({ monitors: [created] })
    const shown = GetMonitorResponse.parse(await readJson(await get('/api/v1/monitors/loans')))
    expect(shown).toEqual({ monitor: created, latest: null, due: 0 })
  })

  it('adds a webhook (201, the secret shown once) and lists it without the secret', async () => {
    const res = await send('POST', '/api/v1/monitors/loans/webhooks', {
      url: 'https://8.8.8.8/hook',
      secret: 'whsec_0123456789abcdef',
    })
    expect(res.status).toBe(201)
    const added = AddWebhookResponse.parse(await readJson(res))
    expect(added).toEqual({
      webhook: {
        id: expect.stringMatching(/^[0-9a-f]{32}$/),
        monitor: 'loans',
        url: 'https://8.8.8.8/hook',
        created_by: 'mlops',
        created_at: expect.any(Number),
      },
      secret: 'whsec_0123456789abcdef',
    })
    expect(await readJson(await get('/api/v1/monitors/loans/webhooks'))).toEqual({
      webhooks: [added.webhook],
    })
  })

  it('evaluates due windows: two of the training population, then a shifted one drifts', async () => {
    const random = seeded(27)
    const usual = applicants(1000, random)
    const ids = await d.serve(usual.rows, SERVED)
    await d.label(ids, usual.labels)
    await d.serve(applicants(500, random, { incomeMean: 75, regions: ['east'] }).rows, SERVED + 1)

    const before = GetMonitorResponse.parse(await readJson(await get('/api/v1/monitors/loans')))
    expect(before.due).toBe(3)
    const res = await send('POST', '/api/v1/monitors/loans/evaluate')
    expect(res.status).toBe(200)
    const { results } = MonitorResultsResponse.parse(await readJson(res))
    expect(results.map((r) => [r.window, r.rows, r.labeled, r.model_versions])).toEqual([
      [1, 500, 500, [1]],
      [2, 500, 500, [1]],
      [3, 500, 0, [1]],
    ])
    // The shifted window has no labels: its estimated ROC AUC (scores crowded at one end) falls
    // below the estimate on the held-out rows by more than the tolerance.
    expect(results.map((r) => r.events)).toEqual([
      [],
      [],
      ['drift_detected', 'data_quality_failed', 'performance_degraded'],
    ])
    const third = results[2]!
    expect(third.drift?.dataset_drift).toBe(true)
    expect(third.drift?.drift_by_columns.income?.drift_detected).toBe(true)
    expect(third.drift?.drift_by_columns.age?.drift_detected).toBe(false)
    expect(third.reference).toEqual({
      model: 'loans',
      version: 1,
      dataset: 'loans',
      dataset_version: 1,
      rows: 3000,
    })
    expect(results[0]!.performance?.realized?.roc_auc).toBeGreaterThan(0.7)
    expect(third.performance?.realized).toBeNull()

    const stored = MonitorResultsResponse.parse(
      await readJson(await get('/api/v1/monitors/loans/results?after=1&limit=1')),
    )
    expect(stored.results).toEqual([third])
    const shown = GetMonitorResponse.parse(await readJson(await get('/api/v1/monitors/loans')))
    expect([shown.monitor.windows, shown.latest, shown.due]).toEqual([3, third, 0])
  })

  it('GET a window answers its result with the drift and the distributions to draw', async () => {
    const latest = MonitorWindowResponse.parse(
      await readJson(await get('/api/v1/monitors/loans/windows/latest')),
    )
    expect(latest.result.window).toBe(3)
    expect(latest.drift?.report).toEqual(latest.result.drift)
    const region = latest.drift?.distributions.region
    expect(region?.kind).toBe('cat')
    expect(region?.current.reduce((a, b) => a + b, 0)).toBe(500)
    const first = MonitorWindowResponse.parse(
      await readJson(await get('/api/v1/monitors/loans/windows/1')),
    )
    expect([first.result.window, first.drift?.report.dataset_drift]).toEqual([1, false])
  })

  it('lists the drift event per monitor and across monitors, with a delivery per webhook', async () => {
    const mine = MonitorEventsResponse.parse(
      await readJson(await get('/api/v1/monitors/loans/events?type=drift_detected')),
    )
    expect(mine.events).toEqual([
      {
        id: expect.any(Number),
        monitor: 'loans',
        deployment: 'loans',
        type: 'drift_detected',
        window: 3,
        time: expect.any(Number),
        payload: expect.objectContaining({
          dataset_drift: true,
          drifted_columns: expect.arrayContaining([expect.objectContaining({ column: 'income' })]),
        }),
      },
    ])
    const drifted = await readJson(
      await get('/api/v1/monitor-events?deployment=loans&type=drift_detected&limit=10'),
    )
    expect(drifted).toEqual(mine)
    // The shifted incomes also leave the range of the training data, and the label-free
    // estimate falls.
    const all = MonitorEventsResponse.parse(
      await readJson(await get('/api/v1/monitor-events?deployment=loans')),
    )
    expect(all.events.map((e) => [e.id - mine.events[0]!.id, e.type, e.window])).toEqual([
      [2, 'performance_degraded', 3],
      [1, 'data_quality_failed', 3],
      [0, 'drift_detected', 3],
    ])
    const later = await readJson(await get(`/api/v1/monitor-events?after_id=${mine.events[0]!.id}`))
    expect(later).toEqual({ events: all.events.slice(0, 2) })

    const { deliveries } = DeliveriesResponse.parse(
      await readJson(await get('/api/v1/monitors/loans/deliveries')),
    )
    const drift = deliveries.find((x) => x.event_id === mine.events[0]!.id)
    expect(drift).toMatchObject({ status: 'pending', attempts: 0, last_error: null })
  })

  it('GET report answers one HTML page about the monitor', async () => {
    const res = await get('/api/v1/monitors/loans/report')
    expect(res.status).toBe(200)
    expect(res.headers.get('content-type')).toBe('text/html; charset=utf-8')
    const html = await res.text()
    expect(html).toMatch(/^<!DOCTYPE html>/)
    expect(html).toContain('<title>Monitor loans</title>')
    expect(html).toContain('Drift by column, window 3')
  })

  it('answers errors with their status and the parameter named', async () => {
    const cases: [Response, number, string, RegExp][] = [
      [
        await send('POST', '/api/v1/monitors', { deployment: 'loans' }),
        400,
        'RESOURCE_ALREADY_EXISTS',
        /Monitor 'loans' already exists/,
      ],
      [
        await send('POST', '/api/v1/monitors', { deployment: 'nope' }),
        404,
        'RESOURCE_DOES_NOT_EXIST',
        /'nope'/,
      ],
      [
        await send('POST', '/api/v1/monitors', { name: 'x', deployment: 'loans', every: '5' }),
        400,
        'INVALID_PARAMETER_VALUE',
        /'every'/,
      ],
      [
        await send('POST', '/api/v1/monitors', {
          name: 'x',
          deployment: 'loans',
          options: { detector: 'hddm' },
        }),
        400,
        'INVALID_PARAMETER_VALUE',
        /'options\.detector'/,
      ],
      [
        await send('POST', '/api/v1/monitors', {
          name: 'x',
          deployment: 'loans',
          options: { columns: ['salary'] },
        }),
        400,
        'INVALID_PARAMETER_VALUE',
        /'options\.columns'.*'salary'/,
      ],
      [
        await send('POST', '/api/v1/monitors', { deployment: 'loans', window: 10 }),
        400,
        'INVALID_PARAMETER_VALUE',
        /'window'/,
      ],
      [
        await send('POST', '/api/v1/monitors', { name: 'x', deployment: 'loans', since: 'soon' }),
        400,
        'INVALID_PARAMETER_VALUE',
        /'since'/,
      ],
      [await get('/api/v1/monitors/nope'), 404, 'RESOURCE_DOES_NOT_EXIST', /'nope'/],
      [await get('/api/v1/monitors/nope/results'), 404, 'RESOURCE_DOES_NOT_EXIST', /'nope'/],
      [
        await get('/api/v1/monitors/loans/results?limit=0'),
        400,
        'INVALID_PARAMETER_VALUE',
        /'limit'/,
      ],
      [await get('/api/v1/monitors/loans/windows/0'), 400, 'INVALID_PARAMETER_VALUE', /'window'/],
      [await get('/api/v1/monitors/loans/windows/9'), 404, 'RESOURCE_DOES_NOT_EXIST', /window 9/],
      [await get('/api/v1/monitor-events?type=drift'), 400, 'INVALID_PARAMETER_VALUE', /'type'/],
      [
        await send('POST', '/api/v1/monitors/loans/webhooks', { url: 'http://127.0.0.1/hook' }),
        400,
        'INVALID_PARAMETER_VALUE',
        /127\.0\.0\.1/,
      ],
      [
        await send('DELETE', '/api/v1/monitors/loans/webhooks/nope'),
        404,
        'RESOURCE_DOES_NOT_EXIST',
        /'nope'/,
      ],
    ]
    for (const [res, status, code, message] of cases) {
      const body = await readJson(res)
      expect([res.status, body.error_code, body.message]).toEqual([
        status,
        code,
        expect.stringMatching(message),
      ])
    }
  })

  it('viewers read but do not change; without a token nothing is readable', async () => {
    expect((await send('POST', '/api/v1/monitors/loans/evaluate', {}, viewer)).status).toBe(403)
    expect((await send('DELETE', '/api/v1/monitors/loans', undefined, viewer)).status).toBe(403)
    expect((await app.request('/api/v1/monitors')).status).toBe(401)
  })

  it('DELETE removes a webhook, then the monitor with its results; its events stay', async () => {
    const { webhooks } = await readJson(await get('/api/v1/monitors/loans/webhooks'))
    const removed = await send('DELETE', `/api/v1/monitors/loans/webhooks/${webhooks[0].id}`)
    expect([removed.status, await readJson(removed)]).toEqual([200, { webhook: webhooks[0] }])
    const { deliveries } = await readJson(await get('/api/v1/monitors/loans/deliveries'))
    // One delivery per event of window 3, given up on with the webhook.
    expect(
      deliveries.map((x: { status: string; last_error: string }) => [x.status, x.last_error]),
    ).toEqual([
      ['failed', 'webhook removed'],
      ['failed', 'webhook removed'],
      ['failed', 'webhook removed'],
    ])

    const res = await send('DELETE', '/api/v1/monitors/loans')
    expect(res.status).toBe(200)
    expect((await readJson(res)).monitor).toMatchObject({ name: 'loans', windows: 3 })
    expect((await get('/api/v1/monitors/loans')).status).toBe(404)
    expect((await get('/api/v1/monitors/loans/results')).status).toBe(404)
    // What happened stays on record: triggers follow event ids, never handed out twice.
    const { events } = (await readJson(await get('/api/v1/monitor-events?deployment=loans'))) as {
      events: { monitor: string; type: string }[]
    }
    expect(events.map((e) => e.type)).toContain('drift_detected')
    expect(events.every((e) => e.monitor === 'loans')).toBe(true)
  })
})
