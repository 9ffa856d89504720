import { NotFoundError } from '@ballast/contracts'
import type { ArtifactStore } from '../artifacts/artifact-store.js'
import { createDataService, type DataService } from '../data/index.js'
import { createTokenService, type TokenService } from '../governance/token-service.js'
import { type MonitorService, createMonitorService } from '../monitoring/index.js'
import { createRegistryService, type RegistryService } from '../registry/index.js'
import {
  DeploymentService,
  type FeedbackService,
  type PredictionStore,
  createFeedbackService,
  createPredictionStore,
  loadModel,
} from '../serving/index.js'
import { createDecisionService, type DecisionService } from '../orchestration/index.js'
import { PipelineEngine } from '../orchestration/index.js'
import type { MetadataStore } from '../storage/index.js'
import { JobQueue } from '../storage/jobs/index.js'
import { createTrackingService, type TrackingService } from '../tracking/index.js'

/**
 * Everything a route handler or CLI command may call, built once per process. Each context adds
 * its service here.
 */
export interface Services {
  readonly store: MetadataStore
  readonly artifacts: ArtifactStore
  readonly tokens: TokenService
  readonly tracking: TrackingService
  readonly data: DataService
  readonly registry: RegistryService
  /** Long work: enqueued by the API, run by workers. */
  readonly jobs: JobQueue
  /** Serving: each part of it adds its member. */
  readonly serving: {
    /** What each endpoint serves (control plane). */
    readonly deployments: DeploymentService
    /** The prediction log's segments: queries and exports joined with labels. */
    readonly predictions: PredictionStore
    /** True labels of logged predictions. */
    readonly feedback: FeedbackService
  }
  readonly monitoring: {
    /** Monitors on deployments: windows, results, events, webhooks. */
    readonly monitors: MonitorService
  }
  /** Pipelines, triggers and promotion: each part of it adds its member. */
  readonly orchestration: {
    /** Promotion decisions: policies judged rule by rule, approvals. */
    readonly decisions: DecisionService
    /** Pipelines and their runs; steps run as `pipeline-step` jobs. */
    readonly pipelines: PipelineEngine
  }
}

export interface ServiceDependencies {
  store: MetadataStore
  artifacts: ArtifactStore
  /** Largest dataset file ingested (`server.artifactBodyLimitBytes`); 5 GiB by default. */
  maxIngestBytes?: number
  monitoring?: {
    /** Webhooks may target private and loopback addresses (`monitoring.allowPrivateWebhooks`). */
    allowPrivateWebhooks?: boolean
    /** How long after a prediction it is surely in the log (flush interval plus a margin). */
    settleMs?: number
  }
}

/** Rows of a dataset version for model cards; null when it is not there (any more). */
async function datasetRows(
  data: DataService,
  name: string,
  version: number,
): Promise<number | null> {
  try {
    return (await data.getVersion(name, version)).rowCount
  } catch {
    return null
  }
}

export function createServices(deps: ServiceDependencies): Services {
  const tracking = createTrackingService({ store: deps.store, artifacts: deps.artifacts })
  const data = createDataService({
    store: deps.store,
    artifacts: deps.artifacts,
    ...(deps.maxIngestBytes === undefined ? {} : { maxIngestBytes: deps.maxIngestBytes }),
  })
  const registry = createRegistryService({
    store: deps.store,
    runs: tracking.runs,
    artifacts: tracking.artifacts,
    experiments: tracking.experiments,
    datasetRows: (name, version) => datasetRows(data, name, version),
    ...(deps.maxIngestBytes === undefined ? {} : { maxImportBytes: deps.maxIngestBytes }),
  })
  const feedback = createFeedbackService({ store: deps.store })
  const jobs = new JobQueue(deps.store)
  const deployments = new DeploymentService(deps.store, registry)
  const predictions = createPredictionStore({
    store: deps.store,
    artifacts: deps.artifacts,
    feedback,
  })
  return {
    store: deps.store,
    artifacts: deps.artifacts,
    tokens: createTokenService({ store: deps.store }),
    jobs,
    tracking,
    data,
    registry,
    serving: { deployments, predictions, feedback },
    monitoring: {
      monitors: createMonitorService({
        store: deps.store,
        registry,
        data,
        deployments,
        predictions,
        feedback,
        loadModel: (name, version) => loadModel({ registry }, name, version),
        readRunArtifact: (runId, path) => readRunArtifact(tracking, runId, path),
        ...(deps.monitoring?.allowPrivateWebhooks === undefined
          ? {}
          : { allowPrivateWebhooks: deps.monitoring.allowPrivateWebhooks }),
        ...(deps.monitoring?.settleMs === undefined ? {} : { settleMs: deps.monitoring.settleMs }),
      }),
    },
    orchestration: {
      decisions: createDecisionService({ store: deps.store }),
      pipelines: new PipelineEngine({ store: deps.store, jobs }),
    },
  }
}

/** A run's artifact as text; null when the run has no such file. */
async function readRunArtifact(
  tracking: TrackingService,
  runId: string,
  file: string,
): Promise<string | null> {
  const run = await tracking.runs.get(runId)
  try {
    const download = await tracking.artifacts.download(
      `${run.info.experiment_id}/${runId}/artifacts/${file}`,
    )
    return await new Response(download.body).text()
  } catch (error) {
    if (error instanceof NotFoundError) return null
    throw error
  }
}
