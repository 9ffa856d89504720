import { Registry } from 'prom-client'
import { ANONYMOUS_ADMIN } from '../../../governance/actor.js'
import {
  applicants,
  type MonitoredDeployment,
  openMonitoredDeployment,
  seeded,
  trainLoans,
} from '../../../monitoring/monitors/test-support/monitored-deployment.js'
import {
  type LoadedModel,
  PredictionLog,
  ServingEngine,
  ServingMetrics,
  ServingStats,
  ServingStatsWriter,
  loadModel,
} from '../../../serving/index.js'
import type { Services } from '../../services.js'
import type { StepContext } from '../step-types.js'

export interface RolloutFixture {
  m: MonitoredDeployment
  services: Services
  engine: ServingEngine
  /** Versions whose every answer fails with a server error (set before they load). */
  failing: Set<number>
  /** Serves `n` applicants through the engine, one request each, and labels every answer. */
  drive(n: number): Promise<Map<number, number>>
  /** Drives traffic until `work` settles, then returns what it resolved to. */
  driveWhile<T>(work: Promise<T>): Promise<T>
  context(overrides?: Partial<StepContext>): Promise<StepContext & { logs: string[] }>
  dispose(): Promise<void>
}

/** A model that loads and warms, but fails every prediction: a broken canary. */
function broken(model: LoadedModel): LoadedModel {
  const fail = () => Promise.reject(new Error(`onnxruntime: model ${model.version} failed to run`))
  return {
    name: model.name,
    version: model.version,
    inputs: model.inputs,
    outputs: model.outputs,
    task: model.task,
    classes: model.classes,
    predictRecords: fail,
    infer: fail,
    warm: () => model.warm(),
    close: () => model.close(),
  }
}

/**
 * The monitored `loans` deployment (version 1, `loans@prod`, also `loans@champion`) with a second
 * version trained with other parameters, served by a real engine whose stats and prediction log
 * are written every 100 ms.
 */
export async function openRolloutFixture(): Promise<RolloutFixture> {
  const m = await openMonitoredDeployment()
  const services = m.t.services
  await trainLoans(services, { numTrees: '20' })
  await services.registry.aliases.set(
    { name: 'loans', alias: 'champion', version: '1' },
    ANONYMOUS_ADMIN.name,
  )
  const failing = new Set<number>()
  const stats = new ServingStats()
  const writer = new ServingStatsWriter({ db: services.store.db, stats, intervalMs: 100 })
  const log = new PredictionLog({
    store: services.store,
    artifacts: services.artifacts,
    flushIntervalMs: 100,
  })
  const engine = new ServingEngine({
    deployments: services.serving.deployments,
    load: async (name, version) => {
      const model = await loadModel({ registry: services.registry }, name, version)
      return failing.has(version) ? broken(model) : model
    },
    log,
    metrics: new ServingMetrics(new Registry(), stats),
    syncIntervalMs: 100,
    random: seeded(3),
  })
  await engine.start()
  const random = seeded(11)
  let next = 0
  async function drive(n: number): Promise<Map<number, number>> {
    const answered = new Map<number, number>()
    const { rows, labels } = applicants(n, random)
    for (let i = 0; i < n; i++) {
      const requestId = `q-${String(next++).padStart(6, '0')}`
      try {
        const { model } = await engine.predictRecords('loans', [{ ...rows[i]! }], { requestId })
        answered.set(model.version, (answered.get(model.version) ?? 0) + 1)
        await m.label([`${requestId}-0`], [labels[i]!])
      } catch {
        answered.set(-1, (answered.get(-1) ?? 0) + 1)
      }
    }
    return answered
  }
  return {
    m,
    services,
    engine,
    failing,
    drive,
    async driveWhile(work) {
      let done = false
      const settled = work.finally(() => {
        done = true
      })
      settled.catch(() => undefined)
      while (!done) {
        await drive(10)
        await new Promise((resolve) => setImmediate(resolve))
      }
      return settled
    },
    async context(overrides = {}) {
      const run = await services.tracking.runs.create(
        { runName: 'deploy' },
        'system:pipeline:retrain',
      )
      const logs: string[] = []
      return {
        services,
        pipeline: 'retrain',
        runId: 'prun-1',
        step: 'deploy',
        actor: 'system:pipeline:retrain',
        trackingRunId: run.info.run_id,
        signal: new AbortController().signal,
        progress: () => undefined,
        log: (message: string) => logs.push(message),
        logs,
        ...overrides,
      }
    },
    async dispose() {
      await engine.close()
      await log.close()
      await writer.close()
      await m.dispose()
    },
  }
}
