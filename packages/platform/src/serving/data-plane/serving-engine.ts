import { AppError, NotFoundError } from '@ballast/contracts'
import type {
  Deployment,
  LoadedModel,
  PredictionRow,
  RecordPrediction,
  V2Tensor,
} from '../serving-types.js'
import {
  type Answer,
  OverloadedError,
  type PredictOptions,
  type ServingEngineOptions,
} from './engine-options.js'
import { ModelSlot, slotKey } from './model-slot.js'
import { recordRows, tensorPredictions, tensorRows, type AnswerContext } from './prediction-rows.js'
import {
  buildRoutes,
  chooseSlot,
  EMPTY_TABLE,
  slotsOf,
  versionsOf,
  type DeploymentRoutes,
  type RoutingTable,
} from './routing.js'
import { withDeadline } from './deadline.js'

const DEFAULTS = { syncIntervalMs: 1_000, requestTimeoutMs: 5_000, maxInFlight: 256 }

/**
 * Holds the loaded models of every deployment and answers predictions with them. `sync()` follows
 * the deployments: new versions are loaded and warmed before one atomic swap of the routing table,
 * and versions nothing routes to any more are closed after their last request finishes.
 */
export class ServingEngine {
  private table: RoutingTable = EMPTY_TABLE
  private readonly slots = new Map<string, ModelSlot>()
  /** Deployments listed but not (fully) loaded, with the reason. */
  private pending = new Map<string, string>()
  private synced = false
  private syncing: Promise<void> | undefined
  private timer: NodeJS.Timeout | undefined
  private running = 0
  private unlogged: (() => void)[] = []
  private closed = false
  private readonly retiring = new Set<Promise<void>>()
  private readonly opts: ServingEngineOptions & typeof DEFAULTS
  private readonly random: () => number

  constructor(options: ServingEngineOptions) {
    this.opts = {
      ...options,
      syncIntervalMs: options.syncIntervalMs ?? DEFAULTS.syncIntervalMs,
      requestTimeoutMs: options.requestTimeoutMs ?? DEFAULTS.requestTimeoutMs,
      maxInFlight: options.maxInFlight ?? DEFAULTS.maxInFlight,
    }
    this.random = options.random ?? Math.random
  }

  /** First sync (failures are logged and retried), then one every `syncIntervalMs`. */
  async start(): Promise<void> {
    await this.syncLogged()
    if (this.closed) return
    this.timer = setInterval(() => void this.syncLogged(), this.opts.syncIntervalMs)
    this.timer.unref()
  }

  private async syncLogged(): Promise<void> {
    try {
      await this.sync()
    } catch (error) {
      this.opts.logger?.error({ err: error }, 'serving: reading the deployments failed')
    }
  }

  /** Reconciles with the deployments when their revision changed or a load failed before. */
  sync(): Promise<void> {
    this.syncing ??= this.reconcile().finally(() => {
      this.syncing = undefined
    })
    return this.syncing
  }

  private async reconcile(): Promise<void> {
    if (this.closed) return
    const source = this.opts.deployments
    await source.followAliases()
    const revision = await source.revision()
    if (this.synced && revision === this.table.revision && this.pending.size === 0) return
    const filter = this.opts.filter ?? (() => true)
    const wanted = (await source.list()).filter((d) => filter(d.name))

    const loaded = new Map<string, ModelSlot>()
    const failures = new Map<string, string>()
    const toLoad = new Map<string, { model: string; version: number }>()
    for (const d of wanted) {
      for (const version of versionsOf(d)) {
        const key = slotKey(d.model, version)
        const slot = this.slots.get(key)
        if (slot !== undefined) loaded.set(key, slot)
        else toLoad.set(key, { model: d.model, version })
      }
    }
    await Promise.all(
      [...toLoad].map(async ([key, { model, version }]) => {
        try {
          const m = await this.opts.load(model, version)
          try {
            await m.warm()
          } catch (error) {
            await m.close().catch(() => undefined)
            throw error
          }
          loaded.set(key, new ModelSlot(key, m))
        } catch (error) {
          const reason = `model ${model} version ${version} did not load: ${(error as Error).message}`
          failures.set(key, reason)
          this.opts.logger?.error({ err: error, model, version }, 'serving: model did not load')
        }
      }),
    )
    if (this.closed) {
      for (const slot of loaded.values()) if (!this.slots.has(slot.key)) await slot.retire()
      return
    }

    const { next, pending } = buildRoutes(wanted, loaded, failures, this.table)
    // The swap: one assignment; requests read either the old table or the new one, never a mix.
    this.table = { revision, deployments: next }
    this.pending = pending
    this.synced = true

    const used = new Set<ModelSlot>()
    for (const routes of next.values()) for (const s of slotsOf(routes)) used.add(s)
    for (const slot of loaded.values()) this.slots.set(slot.key, slot)
    for (const [key, slot] of this.slots) {
      if (used.has(slot)) continue
      this.slots.delete(key)
      this.retireLater(slot)
    }
    if (pending.size === 0) this.opts.logger?.info({ revision }, 'serving: deployments loaded')
  }

  private retireLater(slot: ModelSlot): void {
    const done = slot
      .retire()
      .catch((error: unknown) =>
        this.opts.logger?.warn({ err: error, model: slot.key }, 'serving: closing a model failed'),
      )
      .finally(() => this.retiring.delete(done))
    this.retiring.add(done)
  }

  /** Resolves when every deployment's models are loaded and warm; else says what is missing. */
  async checkReady(): Promise<void> {
    if (this.closed) throw new AppError('TEMPORARILY_UNAVAILABLE', 'the server is shutting down')
    if (!this.synced) throw new AppError('TEMPORARILY_UNAVAILABLE', 'deployments not loaded yet')
    const [first] = this.pending.values()
    if (first !== undefined) throw new AppError('TEMPORARILY_UNAVAILABLE', first)
    // A change made since the last sync (a new deployment, a promotion) is not served yet.
    const revision = await this.opts.deployments.revision()
    if (revision !== this.table.revision) {
      void this.sync().catch(() => undefined)
      throw new AppError(
        'TEMPORARILY_UNAVAILABLE',
        `deployments changed (revision ${revision}, serving ${this.table.revision}); loading`,
      )
    }
  }

  get ready(): boolean {
    return !this.closed && this.synced && this.pending.size === 0
  }

  /** Names of the deployments served now. */
  deploymentNames(): string[] {
    return [...this.table.deployments.keys()]
  }

  /** The deployment's routes now; 404 when it is not served, 503 while it loads. */
  routes(deployment: string): DeploymentRoutes {
    const routes = this.table.deployments.get(deployment)
    if (routes !== undefined) return routes
    const reason = this.pending.get(deployment)
    if (reason !== undefined) {
      this.opts.metrics?.rejectedRequest(deployment, 'not_ready')
      throw new AppError('TEMPORARILY_UNAVAILABLE', `deployment '${deployment}': ${reason}`)
    }
    throw new NotFoundError(`no deployment named '${deployment}' is served here`)
  }

  /** The version that answers (canary split by routing key or at random) and the shadow. */
  route(
    deployment: string,
    routingKey?: string,
  ): { deployment: Deployment; model: LoadedModel; shadow: LoadedModel | null } {
    const routes = this.routes(deployment)
    return {
      deployment: routes.deployment,
      model: chooseSlot(routes, routingKey, this.random).model,
      shadow: routes.shadow?.model ?? null,
    }
  }

  /** The primary, or the version asked for (any the deployment loads; 404 for another). */
  model(deployment: string, version?: number): LoadedModel {
    const routes = this.routes(deployment)
    return version === undefined
      ? routes.primary.model
      : this.pick(routes, version, undefined).model
  }

  private pick(routes: DeploymentRoutes, version: number | undefined, key: string | undefined) {
    if (version === undefined) return chooseSlot(routes, key, this.random)
    const slot = slotsOf(routes).find((s) => s.model.version === version)
    if (slot !== undefined) return slot
    const served = slotsOf(routes)
      .map((s) => s.model.version)
      .join(', ')
    throw new NotFoundError(
      `deployment '${routes.deployment.name}' does not serve version ${version} (it serves ${served})`,
    )
  }

  /** Records → predictions, logged; the shadow answers the same records afterwards. */
  predictRecords(
    deployment: string,
    records: readonly Record<string, unknown>[],
    options: PredictOptions,
  ): Promise<Answer<RecordPrediction[]>> {
    return this.run(
      deployment,
      options,
      (slot) => slot.predictRecords(records),
      (result) => result,
      (answer, result) => recordRows(answer, records, result),
    )
  }

  /** V2 tensors → tensors, logged one row per record; the shadow answers afterwards. */
  infer(
    deployment: string,
    inputs: readonly V2Tensor[],
    outputs: readonly string[] | undefined,
    options: PredictOptions,
  ): Promise<Answer<V2Tensor[]>> {
    return this.run(
      deployment,
      options,
      (slot) => slot.model.infer(inputs, outputs),
      (result, model) => tensorPredictions(model, result),
      (answer, result) => tensorRows(answer, inputs, result),
    )
  }

  private async run<T>(
    deployment: string,
    options: PredictOptions,
    call: (slot: ModelSlot) => Promise<T>,
    predictionsOf: (result: T, model: LoadedModel) => readonly RecordPrediction[],
    rowsOf: (answer: AnswerContext, result: T) => PredictionRow[],
  ): Promise<Answer<T>> {
    if (this.closed) throw new OverloadedError('the server is shutting down')
    const routes = this.routes(deployment)
    if (this.running >= this.opts.maxInFlight) {
      this.opts.metrics?.rejectedRequest(deployment, 'overloaded')
      throw new OverloadedError(
        `too many predictions in flight (serving.maxInFlight = ${this.opts.maxInFlight}); retry shortly`,
      )
    }
    // Read the table and count the request in within one tick: a swap cannot close this slot now.
    const slot = this.pick(routes, options.version, options.routingKey)
    const shadow = options.version === undefined && routes.shadow !== slot ? routes.shadow : null
    // Counted in now too: by the time it runs, a swap may have taken it out of the table.
    shadow?.acquire()
    const time = Date.now()
    const started = performance.now()
    const metrics = this.opts.metrics?.forModel(deployment, slot.model)
    let result: T
    try {
      result = await this.withSlot(slot, () => call(slot))
    } catch (error) {
      shadow?.release()
      metrics?.failed((performance.now() - started) / 1000, error)
      throw error
    }
    const latencyMs = performance.now() - started
    metrics?.answered(latencyMs / 1000, slot.model, predictionsOf(result, slot.model))
    const log = this.opts.log
    if (log !== undefined) {
      const answer: AnswerContext = {
        requestId: options.requestId,
        deployment,
        model: slot.model.name,
        version: slot.model.version,
        time,
        latencyMs,
        shadow: false,
      }
      this.logLater(() => {
        for (const row of rowsOf(answer, result)) log.append(row)
      })
    }
    if (shadow !== null) this.mirror(deployment, shadow, options, time, call, rowsOf)
    return { model: slot.model, result }
  }

  /** Off the hot path: rows are built and appended after the answer has gone out. */
  private logLater(write: () => void): void {
    this.unlogged.push(write)
    if (this.unlogged.length === 1) setImmediate(() => this.writeUnlogged())
  }

  private writeUnlogged(): void {
    const writes = this.unlogged
    this.unlogged = []
    for (const write of writes) {
      try {
        write()
      } catch (error) {
        this.opts.logger?.warn({ err: error }, 'serving: a prediction could not be logged')
      }
    }
  }

  /** Fire and forget: the shadow's answer (or failure) is only logged. The slot is acquired. */
  private mirror<T>(
    deployment: string,
    shadow: ModelSlot,
    options: PredictOptions,
    time: number,
    call: (slot: ModelSlot) => Promise<T>,
    rowsOf: (answer: AnswerContext, result: T) => PredictionRow[],
  ): void {
    const started = performance.now()
    const metrics = this.opts.metrics?.forModel(deployment, shadow.model)
    void (async () => call(shadow))()
      .then((result) => {
        const latencyMs = performance.now() - started
        metrics?.answered(latencyMs / 1000, shadow.model, [])
        const answer: AnswerContext = {
          requestId: options.requestId,
          deployment,
          model: shadow.model.name,
          version: shadow.model.version,
          time,
          latencyMs,
          shadow: true,
        }
        const log = this.opts.log
        if (log !== undefined) for (const row of rowsOf(answer, result)) log.append(row)
      })
      .catch((error: unknown) => {
        metrics?.failed((performance.now() - started) / 1000, error)
        this.opts.logger?.warn(
          { err: error, deployment, version: shadow.model.version, requestId: options.requestId },
          'serving: shadow prediction failed',
        )
      })
      .finally(() => shadow.release())
  }

  /**
   * Runs `call` on the slot under the request timeout. The slot and the in-flight count are held
   * until the model has really finished, even past the timeout: it still uses the CPU.
   */
  private async withSlot<T>(slot: ModelSlot, call: () => Promise<T>): Promise<T> {
    slot.acquire()
    this.running += 1
    this.opts.metrics?.setInFlight(this.running)
    const work = (async () => call())().finally(() => {
      slot.release()
      this.running -= 1
      this.opts.metrics?.setInFlight(this.running)
    })
    try {
      return await withDeadline(
        work,
        this.opts.requestTimeoutMs,
        () =>
          new AppError(
            'TEMPORARILY_UNAVAILABLE',
            `the prediction did not finish within ${this.opts.requestTimeoutMs} ms (serving.requestTimeoutMs)`,
          ),
      )
    } finally {
      // A late failure after the timeout has nobody to go to.
      work.catch(() => undefined)
    }
  }

  /** Predictions running now. */
  get inFlight(): number {
    return this.running
  }

  /**
   * Stops syncing, refuses new predictions, waits for those running (and shadows) to finish and
   * closes every model. Safe to call more than once.
   */
  async close(): Promise<void> {
    this.closed = true
    clearInterval(this.timer)
    await this.syncing?.catch(() => undefined)
    const slots = [...this.slots.values()]
    this.slots.clear()
    this.table = EMPTY_TABLE
    for (const slot of slots) this.retireLater(slot)
    await Promise.all([...this.retiring])
    // Answers already sent are logged before the log closes.
    this.writeUnlogged()
  }
}
