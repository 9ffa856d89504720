import pino from 'pino'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { openTestSqliteStore } from '../../storage/test-support/test-stores.js'
import type { TestStore } from '../../storage/test-support/test-stores.js'
import { insertMonitor, recordEvent, startReceiver } from './test-support/alert-fixtures.js'
import { WebhookDispatcher } from './webhook-dispatcher.js'
import type { WebhookDispatcherOptions } from './webhook-dispatcher.js'
import { verifyWebhookSignature } from './webhook-signature.js'
import { addWebhook, listDeliveries, removeWebhook } from './webhook-store.js'

const T0 = 1_764_000_000_000

let t: TestStore
const cleanups: (() => Promise<void>)[] = []
beforeEach(async () => {
  t = await openTestSqliteStore()
  await insertMonitor(t.store, 'churn')
})
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup()
  await t.dispose()
})

const clock = { now: T0 }
beforeEach(() => {
  clock.now = T0
})

function dispatcher(extra: Partial<WebhookDispatcherOptions> = {}): WebhookDispatcher {
  const d = new WebhookDispatcher({
    store: t.store,
    logger: pino({ level: 'silent' }),
    allowPrivate: true,
    timeoutMs: 2_000,
    maxAttempts: 4,
    now: () => clock.now,
    random: () => 0.5,
    ...extra,
  })
  cleanups.push(() => d.stop())
  return d
}

async function receiver(answer?: Parameters<typeof startReceiver>[0]) {
  const r = await startReceiver(answer)
  cleanups.push(r.close)
  return r
}

async function only() {
  const [delivery, ...rest] = await listDeliveries(t.store, 'churn')
  expect(rest).toEqual([])
  return delivery
}

describe('WebhookDispatcher', () => {
  it('POSTs the stored body with headers whose signature verifies at the receiver', async () => {
    const r = await receiver()
    const { secret } = await addWebhook(t.store, 'churn', { url: r.url }, 'alice', {
      allowPrivate: true,
    })
    const { event } = await recordEvent(t.store, 'churn', { type: 'drift_detected' }, T0)
    expect(await dispatcher().runOnce()).toBe(1)

    const [request] = r.requests
    expect(request?.method).toBe('POST')
    expect(request?.url).toBe('/hooks/ballast')
    expect(request?.headers['content-type']).toBe('application/json')
    expect(request?.headers['x-ballast-event']).toBe('drift_detected')
    expect(request?.headers['x-ballast-delivery']).toBe(String((await only())?.id))
    expect(request?.headers['x-ballast-timestamp']).toBe(String(T0 / 1000))
    expect(JSON.parse(request?.body ?? '')).toEqual({
      id: event.id,
      type: 'drift_detected',
      monitor: 'churn',
      deployment: 'churn-deployment',
      window: 1,
      time: T0,
      payload: { driftShare: 0.75, columns: ['age', 'income'] },
    })
    const header = String(request?.headers['x-ballast-signature'])
    expect(
      verifyWebhookSignature(secret, header, T0 / 1000, request?.body ?? '', 300_000, T0),
    ).toBe(true)
    expect(await only()).toMatchObject({
      status: 'delivered',
      attempts: 1,
      lastStatus: 200,
      deliveredAt: T0,
    })
  })

  it('retries 500s with backoff and delivers on the third attempt', async () => {
    const r = await receiver((_req, index) => (index < 2 ? 500 : 200))
    await addWebhook(t.store, 'churn', { url: r.url }, 'alice', { allowPrivate: true })
    await recordEvent(t.store, 'churn', {}, T0)
    const d = dispatcher()

    expect(await d.runOnce()).toBe(1)
    expect(await only()).toMatchObject({
      status: 'pending',
      attempts: 1,
      lastStatus: 500,
      lastError: 'HTTP 500: status 500 from the receiver',
      nextAttemptAt: T0 + 1_000,
    })
    clock.now = T0 + 999
    expect(await d.runOnce()).toBe(0)
    clock.now = T0 + 1_000
    expect(await d.runOnce()).toBe(1)
    expect(await only()).toMatchObject({
      status: 'pending',
      attempts: 2,
      nextAttemptAt: T0 + 3_000,
    })
    clock.now = T0 + 3_000
    expect(await d.runOnce()).toBe(1)
    expect(await only()).toMatchObject({
      status: 'delivered',
      attempts: 3,
      lastStatus: 200,
      lastError: null,
      deliveredAt: T0 + 3_000,
    })
    expect(r.requests).toHaveLength(3)
    expect(new Set(r.requests.map((q) => q.body)).size).toBe(1)
    expect(await d.runOnce()).toBe(0)
  })

  it('marks the delivery failed once maxAttempts are used', async () => {
    const r = await receiver(() => 502)
    await addWebhook(t.store, 'churn', { url: r.url }, 'alice', { allowPrivate: true })
    await recordEvent(t.store, 'churn', {}, T0)
    const d = dispatcher({ maxAttempts: 3 })
    for (let attempt = 1; attempt <= 3; attempt++) {
      expect(await d.runOnce()).toBe(1)
      clock.now += 60_000
    }
    expect(await d.runOnce()).toBe(0)
    expect(await only()).toMatchObject({ status: 'failed', attempts: 3, lastStatus: 502 })
    expect(r.requests).toHaveLength(3)
  })

  it('refuses a loopback URL at send time when private addresses are not allowed', async () => {
    const r = await receiver()
    await addWebhook(t.store, 'churn', { url: r.url }, 'alice', { allowPrivate: true })
    await recordEvent(t.store, 'churn', {}, T0)
    expect(await dispatcher({ allowPrivate: false }).runOnce()).toBe(1)
    const delivery = await only()
    expect(delivery).toMatchObject({ status: 'failed', attempts: 1, lastStatus: null })
    expect(delivery?.lastError).toBe(
      `webhook URL '${r.url}' is refused: it points at 127.0.0.1, a loopback address ` +
        '(set monitoring.allowPrivateWebhooks to allow private addresses)',
    )
    expect(r.requests).toEqual([])
  })

  it('connects to the checked address and keeps the URL host in the Host header', async () => {
    const r = await receiver()
    const port = new URL(r.url).port
    const lookup = async () => [{ address: '127.0.0.1', family: 4 as const }]
    await addWebhook(t.store, 'churn', { url: `http://hooks.test:${port}/h` }, 'alice', {
      allowPrivate: true,
      lookup,
    })
    await recordEvent(t.store, 'churn', {}, T0)
    expect(await dispatcher({ lookup }).runOnce()).toBe(1)
    expect(r.requests[0]?.headers.host).toBe(`hooks.test:${port}`)
    expect((await only())?.status).toBe('delivered')
  })

  it('retries a host that does not resolve', async () => {
    await addWebhook(t.store, 'churn', { url: 'http://hooks.test/h' }, 'alice', {
      allowPrivate: true,
      lookup: async () => [{ address: '127.0.0.1', family: 4 }],
    })
    await recordEvent(t.store, 'churn', {}, T0)
    const lookup = async () => {
      throw Object.assign(new Error('queryA ENOTFOUND'), { code: 'ENOTFOUND' })
    }
    expect(await dispatcher({ lookup }).runOnce()).toBe(1)
    expect(await only()).toMatchObject({
      status: 'pending',
      attempts: 1,
      lastError:
        "webhook URL 'http://hooks.test/h' cannot be used: host hooks.test does not resolve (ENOTFOUND)",
    })
  })

  it('does not follow redirects and times out a silent receiver', async () => {
    const r = await receiver((_req, index) => (index === 0 ? 302 : 'hang'))
    await addWebhook(t.store, 'churn', { url: r.url }, 'alice', { allowPrivate: true })
    await recordEvent(t.store, 'churn', {}, T0)
    const d = dispatcher({ timeoutMs: 300 })
    await d.runOnce()
    expect(await only()).toMatchObject({
      lastStatus: 302,
      lastError: 'HTTP 302 (redirects are not followed): status 302 from the receiver',
    })
    clock.now += 60_000
    await d.runOnce()
    expect(await only()).toMatchObject({
      status: 'pending',
      attempts: 2,
      lastStatus: null,
      lastError: 'no answer within 300 ms',
    })
  })

  it('gives up deliveries of a webhook removed before they were sent', async () => {
    const r = await receiver()
    const { webhook } = await addWebhook(t.store, 'churn', { url: r.url }, 'alice', {
      allowPrivate: true,
    })
    await recordEvent(t.store, 'churn', {}, T0)
    await removeWebhook(t.store, 'churn', webhook.id)
    expect(await dispatcher().runOnce()).toBe(0)
    expect(await only()).toMatchObject({ status: 'failed', lastError: 'webhook removed' })
  })

  it('start() sends due deliveries in the background and stop() waits for them', async () => {
    const r = await receiver()
    await addWebhook(t.store, 'churn', { url: r.url }, 'alice', { allowPrivate: true })
    await recordEvent(t.store, 'churn', {}, T0)
    const d = dispatcher({ pollMs: 10 })
    d.start()
    await expect.poll(async () => (await only())?.status).toBe('delivered')
    await d.stop()
    await recordEvent(t.store, 'churn', { window: 2 }, T0)
    await new Promise((resolve) => setTimeout(resolve, 50))
    expect(r.requests).toHaveLength(1)
  })
})
