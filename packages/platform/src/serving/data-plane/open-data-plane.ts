import type { Logger } from 'pino'
import type { Registry } from 'prom-client'
import type { ArtifactStore } from '../../artifacts/index.js'
import type { RegistryService } from '../../registry/index.js'
import type { MetadataStore } from '../../storage/index.js'
import { loadModel } from '../model-runtime/load-model.js'
import { PredictionLog } from '../prediction-log/prediction-log.js'
import type { DataPlane } from './data-plane.js'
import type { DeploymentSource } from './engine-options.js'
import { ServingEngine } from './serving-engine.js'
import { ServingMetrics } from './serving-metrics.js'
import { ServingStats } from './serving-stats.js'
import { ServingStatsWriter } from './serving-stats-writer.js'

/** The `serving` section of the configuration. */
export interface ServingSettings {
  syncIntervalMs: number
  requestTimeoutMs: number
  maxInFlight: number
  /** How often per-version counters are added to `serving_stats` (default 10 s; 0: on close). */
  statsFlushIntervalMs?: number
  predictionLog: {
    flushIntervalMs: number
    maxBufferedRows: number
    /** Background merging of settled segments; 0 or absent: off. */
    compactionIntervalMs?: number
  }
}

export interface OpenDataPlaneOptions {
  store: MetadataStore
  artifacts: ArtifactStore
  registry: RegistryService
  deployments: DeploymentSource
  settings: ServingSettings
  /** The app's `/metrics` registry. */
  metricsRegistry: Registry
  server: { name: string; version: string }
  bodyLimitBytes: number
  logger?: Logger
  /** Serve only these deployments (`ballast serve --deployment`); all by default. */
  only?: readonly string[]
}

export interface RunningDataPlane extends DataPlane {
  /** Resolves after the first sync (whether every model loaded or not: see `engine.ready`). */
  readonly started: Promise<void>
  /** Waits for running predictions, closes the models, then flushes the log and the stats. */
  close(): Promise<void>
}

/**
 * The serving engine with its prediction log and metrics. Models load in the background: the
 * server listens at once, and `/v2/health/ready` says when every deployment can answer.
 */
export function openDataPlane(options: OpenDataPlaneOptions): RunningDataPlane {
  const { settings, logger } = options
  const log = new PredictionLog({
    store: options.store,
    artifacts: options.artifacts,
    flushIntervalMs: settings.predictionLog.flushIntervalMs,
    maxBufferedRows: settings.predictionLog.maxBufferedRows,
    compactionIntervalMs: settings.predictionLog.compactionIntervalMs ?? 0,
    metricsRegistry: options.metricsRegistry,
    ...(logger === undefined ? {} : { logger }),
  })
  const stats = new ServingStats()
  const statsWriter = new ServingStatsWriter({
    db: options.store.db,
    stats,
    ...(settings.statsFlushIntervalMs === undefined
      ? {}
      : { intervalMs: settings.statsFlushIntervalMs }),
    ...(logger === undefined ? {} : { logger }),
  })
  const only = options.only === undefined ? undefined : new Set(options.only)
  const engine = new ServingEngine({
    deployments: options.deployments,
    load: (name, version) => loadModel({ registry: options.registry }, name, version),
    log,
    metrics: new ServingMetrics(options.metricsRegistry, stats),
    syncIntervalMs: settings.syncIntervalMs,
    requestTimeoutMs: settings.requestTimeoutMs,
    maxInFlight: settings.maxInFlight,
    ...(only === undefined ? {} : { filter: (name: string) => only.has(name) }),
    ...(logger === undefined ? {} : { logger }),
  })
  const started = engine.start()
  let closing: Promise<void> | undefined
  return {
    engine,
    server: options.server,
    bodyLimitBytes: options.bodyLimitBytes,
    ...(logger === undefined ? {} : { logger }),
    started,
    close: () =>
      (closing ??= (async () => {
        try {
          await engine.close()
        } finally {
          await Promise.all([log.close(), statsWriter.close()])
        }
      })()),
  }
}
