import pino from 'pino'
import { afterEach, beforeEach, expect, it } from 'vitest'
import type { TestStore } from '../../../storage/test-support/test-stores.js'
import { WEBHOOK_LEASE_MARGIN_MS, WebhookDispatcher } from '../webhook-dispatcher.js'
import type { WebhookDispatcherOptions } from '../webhook-dispatcher.js'
import { addWebhook, listDeliveries } from '../webhook-store.js'
import { insertMonitor, recordEvent, startReceiver } from './alert-fixtures.js'

const T0 = 1_764_000_000_000
const TIMEOUT_MS = 5_000

/**
 * The outbox's claim and lease rules, the same on every backend: a leased delivery is sent by one
 * dispatcher at a time, and a lease left by a dispatcher that died expires and is taken over.
 */
export function runWebhookOutboxContract(options: { open: () => Promise<TestStore> }): void {
  let t: TestStore
  const stops: (() => Promise<void>)[] = []
  beforeEach(async () => {
    t = await options.open()
    await insertMonitor(t.store, 'churn')
  })
  afterEach(async () => {
    for (const stop of stops.splice(0).reverse()) await stop()
    await t.dispose()
  })

  const dispatcher = (clock: { now: number }, extra: Partial<WebhookDispatcherOptions> = {}) =>
    new WebhookDispatcher({
      store: t.store,
      logger: pino({ level: 'silent' }),
      allowPrivate: true,
      timeoutMs: TIMEOUT_MS,
      maxAttempts: 5,
      now: () => clock.now,
      random: () => 0.5,
      ...extra,
    })

  it('two dispatchers running at once send each delivery exactly once', async () => {
    const receiver = await startReceiver()
    stops.push(receiver.close)
    for (const path of ['a', 'b', 'c']) {
      await addWebhook(t.store, 'churn', { url: `${receiver.url}/${path}` }, 'alice', {
        allowPrivate: true,
      })
    }
    for (let window = 1; window <= 10; window++) {
      await recordEvent(t.store, 'churn', { window }, T0)
    }
    // Open pooled connections first, so that both dispatchers' reads really run side by side.
    await Promise.all(
      Array.from({ length: 4 }, () =>
        t.store.db.selectFrom('webhook_deliveries').select('id').execute(),
      ),
    )
    const clock = { now: T0 }
    const one = dispatcher(clock)
    const two = dispatcher(clock)
    let attempted = 0
    for (let round = 0; round < 10; round++) {
      const [a, b] = await Promise.all([one.runOnce(), two.runOnce()])
      attempted += a + b
      if (a + b === 0) break
    }
    expect(attempted).toBe(30)
    const ids = receiver.requests.map((r) => r.headers['x-ballast-delivery'])
    expect(ids).toHaveLength(30)
    expect(new Set(ids).size).toBe(30)
    const deliveries = await listDeliveries(t.store, 'churn')
    expect(deliveries.every((d) => d.status === 'delivered' && d.attempts === 1)).toBe(true)
  })

  it('a delivery leased by a dispatcher that stopped answering is sent again once the lease expires', async () => {
    // The first request hangs: its dispatcher holds the lease as if its process had died.
    const receiver = await startReceiver((_request, index) => (index === 0 ? 'hang' : 200))
    stops.push(receiver.close)
    await addWebhook(t.store, 'churn', { url: receiver.url }, 'alice', { allowPrivate: true })
    await recordEvent(t.store, 'churn', {}, T0)

    const firstClock = { now: T0 }
    const first = dispatcher(firstClock, { timeoutMs: 60_000 })
    const stuck = first.runOnce()
    await expect.poll(() => receiver.requests.length).toBe(1)
    const [leased] = await t.store.db.selectFrom('webhook_deliveries').selectAll().execute()
    expect(Number(leased?.lease_until)).toBe(T0 + 60_000 + WEBHOOK_LEASE_MARGIN_MS)

    const secondClock = { now: T0 + 60_000 + WEBHOOK_LEASE_MARGIN_MS }
    const second = dispatcher(secondClock)
    expect(await second.runOnce()).toBe(0)
    secondClock.now += 1
    expect(await second.runOnce()).toBe(1)
    expect(receiver.requests).toHaveLength(2)
    expect(receiver.requests[1]?.body).toBe(receiver.requests[0]?.body)

    // The first dispatcher's request now fails; its lease is gone, so it records nothing.
    receiver.server.closeAllConnections()
    expect(await stuck).toBe(1)
    await first.stop()
    const [delivery] = await listDeliveries(t.store, 'churn')
    expect(delivery).toMatchObject({
      status: 'delivered',
      attempts: 1,
      lastStatus: 200,
      lastError: null,
      deliveredAt: T0 + 60_000 + WEBHOOK_LEASE_MARGIN_MS + 1,
    })
  })

  it('claims only due, unleased, pending deliveries', async () => {
    const receiver = await startReceiver(() => 503)
    stops.push(receiver.close)
    await addWebhook(t.store, 'churn', { url: receiver.url }, 'alice', { allowPrivate: true })
    await recordEvent(t.store, 'churn', {}, T0 + 1_000)
    const clock = { now: T0 }
    const d = dispatcher(clock)
    expect(await d.runOnce()).toBe(0)
    clock.now = T0 + 1_000
    expect(await d.runOnce()).toBe(1)
    const [after] = await listDeliveries(t.store, 'churn')
    expect(after).toMatchObject({
      status: 'pending',
      attempts: 1,
      nextAttemptAt: T0 + 2_000,
      lastStatus: 503,
      lastError: 'HTTP 503: status 503 from the receiver',
    })
    clock.now = T0 + 1_999
    expect(await d.runOnce()).toBe(0)
    const lease = await t.store.db.selectFrom('webhook_deliveries').select('lease_until').execute()
    expect(lease).toEqual([{ lease_until: null }])
  })
}
