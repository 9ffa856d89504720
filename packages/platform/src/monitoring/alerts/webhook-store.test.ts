import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { openTestSqliteStore } from '../../storage/test-support/test-stores.js'
import type { TestStore } from '../../storage/test-support/test-stores.js'
import { insertMonitor, recordEvent } from './test-support/alert-fixtures.js'
import { addWebhook, listDeliveries, listWebhooks, removeWebhook } from './webhook-store.js'
import type { LookupFn } from './webhook-url.js'

const lookup: LookupFn = async (host) => {
  if (host === 'hooks.example.com') return [{ address: '93.184.215.14', family: 4 }]
  if (host === 'intranet.example.com') return [{ address: '10.0.0.8', family: 4 }]
  throw Object.assign(new Error('not found'), { code: 'ENOTFOUND' })
}
const opts = { allowPrivate: false, lookup, now: 1_000 }

let t: TestStore
beforeEach(async () => {
  t = await openTestSqliteStore()
  await insertMonitor(t.store, 'churn')
})
afterEach(async () => t.dispose())

describe('addWebhook', () => {
  it('stores the checked, normalized URL and returns a generated 32-byte secret once', async () => {
    const { webhook, secret } = await addWebhook(
      t.store,
      'churn',
      { url: 'HTTPS://Hooks.Example.com/a b' },
      'alice',
      opts,
    )
    expect(secret).toMatch(/^[0-9a-f]{64}$/)
    expect(webhook).toEqual({
      id: webhook.id,
      monitor: 'churn',
      url: 'https://hooks.example.com/a%20b',
      createdBy: 'alice',
      createdAt: 1_000,
    })
    expect(webhook.id).toMatch(/^[0-9a-f]{32}$/)
    expect(await listWebhooks(t.store, 'churn')).toEqual([webhook])
    const stored = await t.store.db.selectFrom('monitor_webhooks').select('secret').execute()
    expect(stored).toEqual([{ secret }])
  })

  it('keeps a given secret of 16 to 256 characters and refuses others', async () => {
    const given = 's'.repeat(16)
    const added = await addWebhook(
      t.store,
      'churn',
      { url: 'https://hooks.example.com/', secret: given },
      'a',
      opts,
    )
    expect(added.secret).toBe(given)
    await addWebhook(
      t.store,
      'churn',
      { url: 'https://hooks.example.com/', secret: 's'.repeat(256) },
      'a',
      opts,
    )
    await expect(
      addWebhook(
        t.store,
        'churn',
        { url: 'https://hooks.example.com/', secret: 's'.repeat(15) },
        'a',
        opts,
      ),
    ).rejects.toThrow('webhook secret must be 16–256 characters long, not 15')
    await expect(
      addWebhook(
        t.store,
        'churn',
        { url: 'https://hooks.example.com/', secret: 's'.repeat(257) },
        'a',
        opts,
      ),
    ).rejects.toThrow('webhook secret must be 16–256 characters long, not 257')
  })

  it('refuses an unknown monitor and a private URL', async () => {
    await expect(
      addWebhook(t.store, 'nope', { url: 'https://hooks.example.com/' }, 'a', opts),
    ).rejects.toMatchObject({
      code: 'RESOURCE_DOES_NOT_EXIST',
      message: "monitor 'nope' not found",
    })
    await expect(
      addWebhook(t.store, 'churn', { url: 'http://intranet.example.com/' }, 'a', opts),
    ).rejects.toMatchObject({
      code: 'INVALID_PARAMETER_VALUE',
      message: expect.stringContaining('it resolves to 10.0.0.8, a private address') as string,
    })
    const allowed = await addWebhook(
      t.store,
      'churn',
      { url: 'http://intranet.example.com/' },
      'a',
      {
        ...opts,
        allowPrivate: true,
      },
    )
    expect(allowed.webhook.url).toBe('http://intranet.example.com/')
    expect(await listWebhooks(t.store, 'churn')).toHaveLength(1)
  })
})

describe('deliveriesFor', () => {
  it('adds one pending delivery per webhook of the monitor, with the body fixed as JSON', async () => {
    const a = await addWebhook(t.store, 'churn', { url: 'https://hooks.example.com/a' }, 'a', opts)
    const b = await addWebhook(t.store, 'churn', { url: 'https://hooks.example.com/b' }, 'a', {
      ...opts,
      now: 2_000,
    })
    await insertMonitor(t.store, 'other')
    await addWebhook(t.store, 'other', { url: 'https://hooks.example.com/o' }, 'a', opts)

    const { event, deliveries } = await recordEvent(
      t.store,
      'churn',
      { type: 'data_quality_failed', window: 3, time: 5_000, payload: { failed: 2 } },
      7_000,
    )
    expect(deliveries).toBe(2)
    const rows = await t.store.db
      .selectFrom('webhook_deliveries')
      .selectAll()
      .orderBy('id')
      .execute()
    const body = `{"id":${event.id},"type":"data_quality_failed","monitor":"churn","deployment":"churn-deployment","window":3,"time":5000,"payload":{"failed":2}}`
    expect(
      rows.map((r) => [
        r.webhook_id,
        r.body,
        r.status,
        Number(r.attempts),
        Number(r.next_attempt_at),
        r.lease_until,
      ]),
    ).toEqual([
      [a.webhook.id, body, 'pending', 0, 7_000, null],
      [b.webhook.id, body, 'pending', 0, 7_000, null],
    ])
    const listed = await listDeliveries(t.store, 'churn')
    expect(listed.map((d) => d.webhookId)).toEqual([b.webhook.id, a.webhook.id])
    expect(listed[0]).toEqual({
      id: listed[0]?.id,
      eventId: event.id,
      webhookId: b.webhook.id,
      status: 'pending',
      attempts: 0,
      nextAttemptAt: 7_000,
      lastError: null,
      lastStatus: null,
      deliveredAt: null,
      createdAt: 7_000,
    })
    expect(await listDeliveries(t.store, 'churn', { limit: 1 })).toEqual([listed[0]])
    await expect(listDeliveries(t.store, 'churn', { limit: 0 })).rejects.toThrow(
      'limit must be an integer from 1 to 1000, not 0',
    )
  })

  it('adds nothing for a monitor without webhooks', async () => {
    expect((await recordEvent(t.store, 'churn', {}, 1)).deliveries).toBe(0)
  })
})

describe('removeWebhook', () => {
  it('removes it and gives up its pending deliveries; delivered ones stay', async () => {
    const { webhook } = await addWebhook(
      t.store,
      'churn',
      { url: 'https://hooks.example.com/' },
      'a',
      opts,
    )
    await recordEvent(t.store, 'churn', {}, 10)
    await recordEvent(t.store, 'churn', {}, 20)
    const [first] = await listDeliveries(t.store, 'churn', { limit: 1 })
    await t.store.db
      .updateTable('webhook_deliveries')
      .set({ status: 'delivered', delivered_at: 30 })
      .where('id', '=', first?.id ?? -1)
      .execute()

    expect(await removeWebhook(t.store, 'churn', webhook.id)).toEqual(webhook)
    expect(await listWebhooks(t.store, 'churn')).toEqual([])
    const after = await listDeliveries(t.store, 'churn')
    expect(after.map((d) => [d.status, d.lastError])).toEqual([
      ['delivered', null],
      ['failed', 'webhook removed'],
    ])
    await expect(removeWebhook(t.store, 'churn', webhook.id)).rejects.toMatchObject({
      code: 'RESOURCE_DOES_NOT_EXIST',
      message: `webhook '${webhook.id}' not found on monitor 'churn'`,
    })
  })
})
