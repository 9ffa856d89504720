import { InvalidParameterError, NotFoundError, AlreadyExistsError } from '@ballast/contracts'
import { type DataService, DuckEngine, parseDatasetRef } from '../../data/index.js'
import { appendAudit } from '../../governance/index.js'
import type { RegistryService } from '../../registry/index.js'
import {
  type DeploymentService,
  type FeedbackService,
  type LoadedModel,
  type PredictionStore,
  validateDeploymentName,
} from '../../serving/index.js'
import type { MetadataStore } from '../../storage/index.js'
import {
  addWebhook,
  deliveriesFor,
  listDeliveries,
  listWebhooks,
  removeWebhook,
} from '../alerts/index.js'
import { evaluateWindow } from './evaluate-window.js'
import { parseEvery } from './monitor-every.js'
import { resolveMonitorOptions } from './monitor-options.js'
import {
  driftFromRow,
  eventFromRow,
  monitorFromRow,
  monitorToRow,
  resultFromRow,
  resultToRow,
} from './monitor-rows.js'
import type {
  EvaluateOptions,
  Monitor,
  MonitorReference,
  MonitorService,
  MonitorWindowResult,
} from './monitor-types.js'
import { type WindowSource, countDueWindows, readWindow } from './prediction-window.js'
import { ReferenceCache } from './reference-cache.js'
import type { RunArtifactReader } from './reference-holdout.js'
import { featureSpecs } from './window-columns.js'
import type { StoredDetector } from './window-performance.js'

/** Rows logged longer ago than this are in the log (the default flush interval is 1 s). */
export const DEFAULT_SETTLE_MS = 3_000
export const DEFAULT_MAX_WINDOWS = 100

export interface MonitorServiceDependencies {
  store: MetadataStore
  registry: RegistryService
  data: DataService
  deployments: DeploymentService
  predictions: PredictionStore
  feedback: FeedbackService
  loadModel(name: string, version: number): Promise<LoadedModel>
  /** Reads a run's artifact: the holdout scores a training run keeps calibrate estimates. */
  readRunArtifact?: RunArtifactReader
  /** DuckDB for reading windows; one is opened per evaluation when absent. */
  engine?: () => Promise<DuckEngine>
  settleMs?: number
  allowPrivateWebhooks?: boolean
  now?: () => number
}

function parseReference(text: string | undefined): MonitorReference {
  if (text === undefined || text === 'training') return { kind: 'training' }
  const ref = parseDatasetRef(text)
  if (ref.version === 'latest') {
    throw new InvalidParameterError(
      `Invalid value for parameter 'reference': '${text}'; name a dataset version (DATASET@VERSION) or 'training'`,
    )
  }
  return { kind: 'dataset', dataset: ref.name, version: ref.version }
}

export function createMonitorService(deps: MonitorServiceDependencies): MonitorService {
  const { store } = deps
  const now = deps.now ?? Date.now
  const settleMs = deps.settleMs ?? DEFAULT_SETTLE_MS
  const references = new ReferenceCache(deps)

  async function row(name: string) {
    const found = await store.db
      .selectFrom('monitors')
      .selectAll()
      .where('name', '=', name)
      .executeTakeFirst()
    if (found === undefined) throw new NotFoundError(`Monitor '${name}' does not exist`)
    return found
  }

  async function withEngine<T>(work: (engine: DuckEngine) => Promise<T>): Promise<T> {
    if (deps.engine !== undefined) return work(await deps.engine())
    const engine = await DuckEngine.open({ threads: 2 })
    try {
      return await work(engine)
    } finally {
      engine.close()
    }
  }

  function source(monitor: Monitor, engine: DuckEngine): WindowSource {
    return {
      predictions: deps.predictions,
      engine,
      deployment: monitor.deployment,
      every: monitor.every,
      settledBefore: now() - settleMs,
    }
  }

  const service: MonitorService = {
    async create(input, actor) {
      const deploymentName = validateDeploymentName(input.deployment ?? '', 'deployment')
      const name = validateDeploymentName(input.name ?? deploymentName, 'name')
      const every = parseEvery(input.every ?? '1000 predictions')
      const reference = parseReference(input.reference)
      const options = resolveMonitorOptions(input.options)
      const deployment = await deps.deployments.get(deploymentName)
      const { details } = await deps.registry.details.show(
        deployment.model,
        String(deployment.version),
      )
      if (details.signature === null) {
        throw new InvalidParameterError(
          `model ${deployment.model}/${deployment.version} served by '${deploymentName}' has no signature: a monitor needs to know its inputs`,
        )
      }
      const watched = new Set(featureSpecs(details.signature.inputs).map((f) => f.name))
      for (const column of [
        ...(options.columns ?? []),
        ...Object.keys(options.perColumnStattest ?? {}),
      ]) {
        if (!watched.has(column)) {
          throw new InvalidParameterError(
            `Invalid value for parameter 'options.columns': model ${deployment.model}/${deployment.version} has no numerical or categorical input '${column}'; it has ${[...watched].join(', ')}`,
          )
        }
      }
      if (reference.kind === 'dataset')
        await deps.data.getVersion(reference.dataset, reference.version)
      if (input.since !== undefined && !Number.isSafeInteger(input.since)) {
        throw new InvalidParameterError(
          `Invalid value for parameter 'since': expected epoch milliseconds, got ${input.since}`,
        )
      }
      const time = now()
      const monitor: Monitor = {
        name,
        deployment: deploymentName,
        every,
        reference,
        options,
        cursor: { time: input.since ?? time, requestId: null },
        windows: 0,
        createdBy: actor,
        createdAt: time,
        updatedAt: time,
      }
      await store.db.transaction().execute(async (trx) => {
        const inserted = await trx
          .insertInto('monitors')
          .values(monitorToRow(monitor, null))
          .onConflict((oc) => oc.column('name').doNothing())
          .executeTakeFirst()
        if (Number(inserted.numInsertedOrUpdatedRows ?? 0) === 0) {
          throw new AlreadyExistsError(`Monitor '${name}' already exists`)
        }
        await appendAudit(trx, {
          actor,
          action: 'monitor.create',
          target: `monitor:${name}`,
          after: monitor,
          detail: { deployment: deploymentName },
          time,
        })
      })
      return monitor
    },

    async list() {
      const rows = await store.db.selectFrom('monitors').selectAll().orderBy('name').execute()
      return rows.map(monitorFromRow)
    },

    async get(name) {
      return monitorFromRow(await row(name))
    },

    async delete(name, actor) {
      const monitor = monitorFromRow(await row(name))
      await store.db.transaction().execute(async (trx) => {
        const hooks = trx.selectFrom('monitor_webhooks').select('id').where('monitor', '=', name)
        await trx.deleteFrom('webhook_deliveries').where('webhook_id', 'in', hooks).execute()
        await trx.deleteFrom('monitor_webhooks').where('monitor', '=', name).execute()
        await trx.deleteFrom('monitor_results').where('monitor', '=', name).execute()
        await trx.deleteFrom('monitors').where('name', '=', name).execute()
        await appendAudit(trx, {
          actor,
          action: 'monitor.delete',
          target: `monitor:${name}`,
          before: monitor,
        })
      })
      return monitor
    },

    async results(name, options = {}) {
      await row(name)
      let query = store.db.selectFrom('monitor_results').selectAll().where('monitor', '=', name)
      if (options.after !== undefined) query = query.where('window', '>', options.after)
      const rows = await query
        .orderBy('window', 'desc')
        .limit(options.limit ?? 1000)
        .execute()
      return rows.reverse().map(resultFromRow)
    },

    async events(filter = {}) {
      let query = store.db.selectFrom('monitor_events').selectAll()
      if (filter.monitor !== undefined) query = query.where('monitor', '=', filter.monitor)
      if (filter.deployment !== undefined) query = query.where('deployment', '=', filter.deployment)
      if (filter.type !== undefined) query = query.where('type', '=', filter.type)
      if (filter.afterId !== undefined) query = query.where('id', '>', filter.afterId)
      if (filter.beforeId !== undefined) query = query.where('id', '<', filter.beforeId)
      const rows = await query
        .orderBy('id', filter.oldestFirst === true ? 'asc' : 'desc')
        .limit(filter.limit ?? 100)
        .execute()
      return rows.map(eventFromRow)
    },

    async window(name, window) {
      await row(name)
      let query = store.db.selectFrom('monitor_results').selectAll().where('monitor', '=', name)
      query =
        window === undefined ? query.orderBy('window', 'desc') : query.where('window', '=', window)
      const found = await query.limit(1).executeTakeFirst()
      if (found === undefined) {
        throw new NotFoundError(
          window === undefined
            ? `Monitor '${name}' has evaluated no window yet`
            : `Monitor '${name}' has no window ${window}`,
        )
      }
      return { result: resultFromRow(found), drift: driftFromRow(found) }
    },

    async dueWindows(name) {
      const monitor = monitorFromRow(await row(name))
      return withEngine((engine) => countDueWindows(source(monitor, engine), monitor.cursor))
    },

    async evaluate(name, options: EvaluateOptions = {}) {
      const max = options.maxWindows ?? DEFAULT_MAX_WINDOWS
      const done: MonitorWindowResult[] = []
      await withEngine(async (engine) => {
        let current = await row(name)
        let monitor = monitorFromRow(current)
        const total = Math.min(max, await countDueWindows(source(monitor, engine), monitor.cursor))
        while (done.length < max) {
          options.signal?.throwIfAborted()
          const window = await readWindow(source(monitor, engine), monitor.cursor)
          if (window === undefined) break
          options.onProgress?.(
            done.length,
            Math.max(total, done.length + 1),
            `window ${monitor.windows + 1}`,
          )
          let reference = null
          if (window.requestIds.length > 0) {
            const deployment = await deps.deployments.get(monitor.deployment)
            reference = await references.get(
              monitor.reference,
              deployment.model,
              deployment.version,
            )
          }
          const labels =
            window.requestIds.length === 0
              ? new Map()
              : await deps.feedback.lookup(monitor.deployment, window.requestIds)
          const detector =
            current.detector_state === null
              ? null
              : (JSON.parse(current.detector_state) as StoredDetector)
          const evaluation = evaluateWindow({
            monitor,
            window,
            reference: reference?.data ?? null,
            calibration: reference?.calibration ?? ((p) => p),
            labels,
            detector,
            computedAt: now(),
          })
          const time = now()
          const recorded = await store.db.transaction().execute(async (trx) => {
            // Compare-and-set on the window count: a second evaluator of the same monitor
            // (another server) records nothing and stops.
            const advanced = await trx
              .updateTable('monitors')
              .set({
                cursor_time: window.next.time,
                cursor_request_id: window.next.requestId,
                windows: monitor.windows + 1,
                detector_state:
                  evaluation.detector === null ? null : JSON.stringify(evaluation.detector),
                updated_at: time,
              })
              .where('name', '=', name)
              .where('windows', '=', monitor.windows)
              .executeTakeFirst()
            if (Number(advanced.numUpdatedRows) !== 1) return false
            await trx
              .insertInto('monitor_results')
              .values(resultToRow(evaluation.result, evaluation.drift?.distributions ?? null))
              .execute()
            for (const event of evaluation.events) {
              const inserted = await trx
                .insertInto('monitor_events')
                .values({
                  monitor: name,
                  deployment: monitor.deployment,
                  type: event.type,
                  window: evaluation.result.window,
                  time,
                  payload: JSON.stringify(event.payload),
                })
                .returning('id')
                .executeTakeFirstOrThrow()
              await deliveriesFor(
                trx,
                {
                  id: Number(inserted.id),
                  monitor: name,
                  deployment: monitor.deployment,
                  type: event.type,
                  window: evaluation.result.window,
                  time,
                  payload: event.payload,
                },
                time,
              )
            }
            return true
          })
          if (!recorded) break
          done.push(evaluation.result)
          current = await row(name)
          monitor = monitorFromRow(current)
        }
        options.onProgress?.(done.length, Math.max(total, done.length), `${done.length} windows`)
      })
      return done
    },

    webhooks: {
      async add(monitor, input, actor) {
        await row(monitor)
        return addWebhook(store, monitor, input, actor, {
          allowPrivate: deps.allowPrivateWebhooks ?? false,
        })
      },
      async list(monitor) {
        await row(monitor)
        return listWebhooks(store, monitor)
      },
      async remove(monitor, id, actor) {
        await row(monitor)
        return removeWebhook(store, monitor, id, actor)
      },
      async deliveries(monitor, options = {}) {
        await row(monitor)
        return listDeliveries(store, monitor, options)
      },
    },
  }
  return service
}
