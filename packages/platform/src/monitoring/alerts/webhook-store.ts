import { randomBytes, randomUUID } from 'node:crypto'
import type { Kysely, Selectable } from 'kysely'
import { InvalidParameterError, NotFoundError } from '@ballast/contracts'
import { UNATTRIBUTED_ACTOR, appendAudit } from '../../governance/index.js'
import type {
  DatabaseSchema,
  MetadataStore,
  MonitorWebhooksTable,
  WebhookDeliveriesTable,
} from '../../storage/index.js'
import type { MonitorEvent, MonitorWebhook, WebhookDelivery } from '../monitors/monitor-types.js'
import { checkWebhookUrl } from './webhook-url.js'
import type { LookupFn } from './webhook-url.js'

export interface AddWebhookOptions {
  allowPrivate: boolean
  lookup?: LookupFn
  now?: number
}

const SECRET_MIN = 16
const SECRET_MAX = 256
const DEFAULT_DELIVERY_LIMIT = 100
const MAX_DELIVERY_LIMIT = 1000

/**
 * Adds a webhook to a monitor. The URL is checked (and stored as WHATWG URL normalizes it); a
 * secret is generated when none is given. The secret is returned here and never again.
 */
export async function addWebhook(
  store: MetadataStore,
  monitor: string,
  input: { url: string; secret?: string },
  actor: string,
  options: AddWebhookOptions,
): Promise<{ webhook: MonitorWebhook; secret: string }> {
  if (input.secret !== undefined) {
    const length = input.secret.length
    if (length < SECRET_MIN || length > SECRET_MAX) {
      throw new InvalidParameterError(
        `webhook secret must be ${SECRET_MIN}–${SECRET_MAX} characters long, not ${length}`,
      )
    }
  }
  await requireMonitor(store.db, monitor)
  const checked = await checkWebhookUrl(input.url, options)
  const secret = input.secret ?? randomBytes(32).toString('hex')
  const row: Selectable<MonitorWebhooksTable> = {
    id: randomUUID().replaceAll('-', ''),
    monitor,
    url: checked.url.href,
    secret,
    created_by: actor,
    created_at: options.now ?? Date.now(),
  }
  const webhook = webhookFromRow(row)
  await store.db.transaction().execute(async (trx) => {
    await trx.insertInto('monitor_webhooks').values(row).execute()
    // The webhook as listed, never its secret: the log is readable by viewers.
    await appendAudit(trx, {
      actor,
      action: 'monitor.webhook.add',
      target: `monitor:${monitor}`,
      after: webhook,
      detail: { webhook: webhook.id, url: webhook.url },
      time: row.created_at,
    })
  })
  return { webhook, secret }
}

/** The monitor's webhooks, oldest first, without their secrets. */
export async function listWebhooks(
  store: MetadataStore,
  monitor: string,
): Promise<MonitorWebhook[]> {
  await requireMonitor(store.db, monitor)
  const rows = await store.db
    .selectFrom('monitor_webhooks')
    .select(['id', 'monitor', 'url', 'created_by', 'created_at'])
    .where('monitor', '=', monitor)
    .orderBy('created_at')
    .orderBy('id')
    .execute()
  return rows.map(webhookFromRow)
}

/** Removes a webhook; its pending deliveries are given up with the reason. */
export async function removeWebhook(
  store: MetadataStore,
  monitor: string,
  id: string,
  actor: string = UNATTRIBUTED_ACTOR,
): Promise<MonitorWebhook> {
  return store.db.transaction().execute(async (trx) => {
    const row = await trx
      .selectFrom('monitor_webhooks')
      .select(['id', 'monitor', 'url', 'created_by', 'created_at'])
      .where('id', '=', id)
      .where('monitor', '=', monitor)
      .executeTakeFirst()
    if (row === undefined) {
      throw new NotFoundError(`webhook '${id}' not found on monitor '${monitor}'`)
    }
    await trx.deleteFrom('monitor_webhooks').where('id', '=', id).execute()
    await trx
      .updateTable('webhook_deliveries')
      .set({ status: 'failed', last_error: 'webhook removed', lease_until: null })
      .where('webhook_id', '=', id)
      .where('status', '=', 'pending')
      .execute()
    const webhook = webhookFromRow(row)
    await appendAudit(trx, {
      actor,
      action: 'monitor.webhook.remove',
      target: `monitor:${monitor}`,
      before: webhook,
      detail: { webhook: webhook.id, url: webhook.url },
    })
    return webhook
  })
}

/** Deliveries of the monitor's events, newest first (those of removed webhooks included). */
export async function listDeliveries(
  store: MetadataStore,
  monitor: string,
  options: { limit?: number } = {},
): Promise<WebhookDelivery[]> {
  const limit = options.limit ?? DEFAULT_DELIVERY_LIMIT
  if (!Number.isInteger(limit) || limit < 1 || limit > MAX_DELIVERY_LIMIT) {
    throw new InvalidParameterError(
      `limit must be an integer from 1 to ${MAX_DELIVERY_LIMIT}, not ${limit}`,
    )
  }
  await requireMonitor(store.db, monitor)
  const rows = await store.db
    .selectFrom('webhook_deliveries as d')
    .innerJoin('monitor_events as e', 'e.id', 'd.event_id')
    .selectAll('d')
    .where('e.monitor', '=', monitor)
    .orderBy('d.id', 'desc')
    .limit(limit)
    .execute()
  return rows.map(deliveryFromRow)
}

/**
 * Puts one pending delivery per webhook of the event's monitor into the outbox, inside the
 * caller's transaction (the one recording the event). The body is fixed here, so that every
 * attempt sends the same bytes. Returns how many were added.
 */
export async function deliveriesFor(
  trx: Kysely<DatabaseSchema>,
  event: MonitorEvent,
  now: number,
): Promise<number> {
  const hooks = await trx
    .selectFrom('monitor_webhooks')
    .select('id')
    .where('monitor', '=', event.monitor)
    .orderBy('created_at')
    .orderBy('id')
    .execute()
  if (hooks.length === 0) return 0
  const body = JSON.stringify({
    id: event.id,
    type: event.type,
    monitor: event.monitor,
    deployment: event.deployment,
    window: event.window,
    time: event.time,
    payload: event.payload,
  })
  await trx
    .insertInto('webhook_deliveries')
    .values(
      hooks.map((hook) => ({
        event_id: event.id,
        webhook_id: hook.id,
        body,
        status: 'pending',
        attempts: 0,
        next_attempt_at: now,
        lease_until: null,
        last_error: null,
        last_status: null,
        delivered_at: null,
        created_at: now,
      })),
    )
    .execute()
  return hooks.length
}

async function requireMonitor(db: Kysely<DatabaseSchema>, monitor: string): Promise<void> {
  const found = await db
    .selectFrom('monitors')
    .select('name')
    .where('name', '=', monitor)
    .executeTakeFirst()
  if (found === undefined) throw new NotFoundError(`monitor '${monitor}' not found`)
}

function webhookFromRow(row: Omit<Selectable<MonitorWebhooksTable>, 'secret'>): MonitorWebhook {
  return {
    id: row.id,
    monitor: row.monitor,
    url: row.url,
    createdBy: row.created_by,
    createdAt: Number(row.created_at),
  }
}

export function deliveryFromRow(row: Selectable<WebhookDeliveriesTable>): WebhookDelivery {
  return {
    id: Number(row.id),
    eventId: Number(row.event_id),
    webhookId: row.webhook_id,
    status: row.status as WebhookDelivery['status'],
    attempts: Number(row.attempts),
    nextAttemptAt: Number(row.next_attempt_at),
    lastError: row.last_error,
    lastStatus: row.last_status === null ? null : Number(row.last_status),
    deliveredAt: row.delivered_at === null ? null : Number(row.delivered_at),
    createdAt: Number(row.created_at),
  }
}
