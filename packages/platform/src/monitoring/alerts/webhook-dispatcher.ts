import type { Logger } from 'pino'
import { isAppError } from '@ballast/contracts'
import type { MetadataStore } from '../../storage/index.js'
import { webhookBackoffMs } from './webhook-backoff.js'
import { postWebhook } from './webhook-request.js'
import { webhookHeaders } from './webhook-signature.js'
import { checkWebhookUrl, WebhookHostUnresolvedError } from './webhook-url.js'
import type { LookupFn } from './webhook-url.js'

export interface WebhookDispatcherOptions {
  store: MetadataStore
  logger: Logger
  allowPrivate: boolean
  timeoutMs: number
  maxAttempts: number
  /** How often to look for due deliveries (1 s). */
  pollMs?: number
  lookup?: LookupFn
  /** Epoch ms; tests move time forward instead of sleeping. */
  now?: () => number
  /** In [0, 1), for the backoff's jitter. */
  random?: () => number
}

/** Deliveries claimed per round, and sent together. */
export const WEBHOOK_BATCH = 16
/** A lease outlasts the request's timeout by this, to cover the DNS check and the writes. */
export const WEBHOOK_LEASE_MARGIN_MS = 30_000

interface Claimed {
  id: number
  webhookId: string
  body: string
  attempts: number
  /** The lease this dispatcher wrote; the outcome is recorded only while it still holds. */
  leaseUntil: number
}

type Outcome =
  | { kind: 'delivered'; status: number }
  | { kind: 'retry'; error: string; status: number | null }
  | { kind: 'give-up'; error: string; status: number | null }

/**
 * Sends the outbox: claims due deliveries with a lease (a compare-and-set, so that two servers
 * never send one delivery at once), POSTs them signed, and records the outcome. A delivery whose
 * dispatcher died keeps its lease until it expires and is then claimed again, so none is lost.
 */
export class WebhookDispatcher {
  private readonly options: WebhookDispatcherOptions
  private readonly now: () => number
  private readonly random: () => number
  private timer: NodeJS.Timeout | undefined
  private running = false
  /** Rounds under way, from the poller or from direct `runOnce` calls. */
  private readonly rounds = new Set<Promise<number>>()

  constructor(options: WebhookDispatcherOptions) {
    this.options = options
    this.now = options.now ?? Date.now
    this.random = options.random ?? Math.random
  }

  start(): void {
    if (this.running) return
    this.running = true
    this.schedule(0)
  }

  /** Stops polling and waits for the sends in flight to finish. */
  async stop(): Promise<void> {
    this.running = false
    if (this.timer !== undefined) clearTimeout(this.timer)
    this.timer = undefined
    await Promise.allSettled([...this.rounds])
  }

  /** Claims due deliveries and sends them; returns how many it attempted. */
  runOnce(): Promise<number> {
    const round = this.round()
    this.rounds.add(round)
    void round.finally(() => this.rounds.delete(round)).catch(() => undefined)
    return round
  }

  private async round(): Promise<number> {
    const claimed = await this.claim()
    await Promise.all(claimed.map((delivery) => this.attempt(delivery)))
    return claimed.length
  }

  private schedule(delayMs: number): void {
    this.timer = setTimeout(() => {
      void this.runOnce().then(
        (attempted) =>
          this.running ? this.schedule(attempted >= WEBHOOK_BATCH ? 0 : this.pollMs) : undefined,
        (error: unknown) => {
          this.options.logger.error({ err: error }, 'webhook dispatch round failed')
          if (this.running) this.schedule(this.pollMs)
        },
      )
    }, delayMs)
    this.timer.unref()
  }

  private get pollMs(): number {
    return this.options.pollMs ?? 1_000
  }

  private async claim(): Promise<Claimed[]> {
    const db = this.options.store.db
    const now = this.now()
    const due = await db
      .selectFrom('webhook_deliveries')
      .select(['id', 'webhook_id', 'body', 'attempts'])
      .where('status', '=', 'pending')
      .where('next_attempt_at', '<=', now)
      .where((eb) => eb.or([eb('lease_until', 'is', null), eb('lease_until', '<', now)]))
      .orderBy('next_attempt_at')
      .orderBy('id')
      .limit(WEBHOOK_BATCH)
      .execute()
    const leaseUntil = now + this.options.timeoutMs + WEBHOOK_LEASE_MARGIN_MS
    const claimed: Claimed[] = []
    for (const row of due) {
      const taken = await db
        .updateTable('webhook_deliveries')
        .set({ lease_until: leaseUntil })
        .where('id', '=', row.id)
        .where('status', '=', 'pending')
        .where((eb) => eb.or([eb('lease_until', 'is', null), eb('lease_until', '<', now)]))
        .executeTakeFirst()
      if (taken.numUpdatedRows === 0n) continue
      claimed.push({
        id: Number(row.id),
        webhookId: row.webhook_id,
        body: row.body,
        attempts: Number(row.attempts),
        leaseUntil,
      })
    }
    return claimed
  }

  private async attempt(delivery: Claimed): Promise<void> {
    let outcome: Outcome
    try {
      outcome = await this.send(delivery)
    } catch (error) {
      outcome = { kind: 'retry', error: errorText(error), status: null }
    }
    try {
      await this.record(delivery, outcome)
    } catch (error) {
      // The lease runs out and another round sends it again.
      this.options.logger.error({ err: error, delivery: delivery.id }, 'webhook outcome not saved')
    }
  }

  private async send(delivery: Claimed): Promise<Outcome> {
    const { store, allowPrivate, lookup, timeoutMs } = this.options
    // The secret and URL are read now: a rotated secret or changed DNS applies to retries.
    const hook = await store.db
      .selectFrom('monitor_webhooks')
      .select(['url', 'secret'])
      .where('id', '=', delivery.webhookId)
      .executeTakeFirst()
    if (hook === undefined) return { kind: 'give-up', error: 'webhook removed', status: null }
    let checked
    try {
      checked = await withTimeout(
        checkWebhookUrl(hook.url, { allowPrivate, ...(lookup ? { lookup } : {}) }),
        timeoutMs,
      )
    } catch (error) {
      const permanent = isAppError(error) && !(error instanceof WebhookHostUnresolvedError)
      return { kind: permanent ? 'give-up' : 'retry', error: errorText(error), status: null }
    }
    const event = (JSON.parse(delivery.body) as { type?: unknown }).type
    const headers = webhookHeaders({
      secret: hook.secret,
      event: typeof event === 'string' ? event : 'unknown',
      delivery: delivery.id,
      timestamp: Math.floor(this.now() / 1000),
      body: delivery.body,
    })
    const response = await postWebhook({ checked, body: delivery.body, headers, timeoutMs })
    if (response.status >= 200 && response.status < 300) {
      return { kind: 'delivered', status: response.status }
    }
    const redirect =
      response.status >= 300 && response.status < 400 ? ' (redirects are not followed)' : ''
    const excerpt = response.excerpt === '' ? '' : `: ${response.excerpt}`
    return {
      kind: 'retry',
      error: `HTTP ${response.status}${redirect}${excerpt}`,
      status: response.status,
    }
  }

  private async record(delivery: Claimed, outcome: Outcome): Promise<void> {
    const now = this.now()
    const attempts = delivery.attempts + 1
    const { logger, maxAttempts } = this.options
    const held = this.options.store.db
      .updateTable('webhook_deliveries')
      .where('id', '=', delivery.id)
      .where('status', '=', 'pending')
      .where('lease_until', '=', delivery.leaseUntil)
    const log = { delivery: delivery.id, webhook: delivery.webhookId, attempts }
    if (outcome.kind === 'delivered') {
      await held
        .set({
          status: 'delivered',
          attempts,
          delivered_at: now,
          last_status: outcome.status,
          last_error: null,
          lease_until: null,
        })
        .execute()
      logger.debug(log, 'webhook delivered')
      return
    }
    const giveUp = outcome.kind === 'give-up' || attempts >= maxAttempts
    await held
      .set({
        status: giveUp ? 'failed' : 'pending',
        attempts,
        next_attempt_at: giveUp ? now : now + webhookBackoffMs(attempts, this.random()),
        last_error: outcome.error,
        last_status: outcome.status,
        lease_until: null,
      })
      .execute()
    logger.warn({ ...log, error: outcome.error, gaveUp: giveUp }, 'webhook delivery attempt failed')
  }
}

function errorText(error: unknown): string {
  return error instanceof Error ? error.message : String(error)
}

async function withTimeout<T>(promise: Promise<T>, ms: number): Promise<T> {
  let timer: NodeJS.Timeout | undefined
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`no DNS answer within ${ms} ms`)), ms)
  })
  try {
    return await Promise.race([promise, timeout])
  } finally {
    clearTimeout(timer)
  }
}
