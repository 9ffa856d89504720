import path from 'node:path'
import {
  FINAL_JOB_STATUSES,
  InvalidParameterError,
  type JobRecord,
  isAppError,
} from '@ballast/contracts'
import { DuckEngine } from '../../data/index.js'
import { systemActor } from '../../governance/index.js'
import { parsePipelineYaml } from '../../orchestration/index.js'
import type { Runtime } from '../../runtime/open-runtime.js'
import { DEMO, DEMO_TRAINING, retrainPipelineYaml } from './demo-pipeline.js'
import type { DemoProgress } from './demo-progress.js'
import { type ReplayStats, replayMonth } from './demo-replay.js'
import { DEMO_MONTHS, sampledRows, writeMonthFiles } from './flights-data.js'

export interface DemoOptions {
  /** Every n-th flight is replayed (1: all of them). */
  sample: number
  /** Predictions per monitor window. */
  window: number
  /** Records per request to the live endpoint. */
  batchSize: number
}

export interface DemoContext {
  runtime: Runtime
  baseUrl: string
  progress: DemoProgress
  options: DemoOptions
  signal: AbortSignal
}

export interface DemoRecord {
  dataset: string
  champion: { version: number; metrics: Record<string, number> }
  months: ReplayStats[]
  startedAt: number
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms))

async function waitForJob(ctx: DemoContext, id: string, label: string): Promise<JobRecord> {
  const bar = ctx.progress.bar(label, 100)
  let shown = 0
  for (;;) {
    ctx.signal.throwIfAborted()
    const job = await ctx.runtime.services.jobs.require(id)
    const percent =
      job.progress.total > 0 ? Math.floor((100 * job.progress.done) / job.progress.total) : 0
    if (percent > shown) {
      bar.add(percent - shown)
      shown = percent
    }
    if (FINAL_JOB_STATUSES.includes(job.status)) {
      bar.add(100 - shown)
      bar.done()
      if (job.status !== 'succeeded') {
        throw new InvalidParameterError(
          `${label} ${job.status}: ${job.error?.message ?? 'no reason given'}`,
        )
      }
      return job
    }
    await sleep(200)
  }
}

/** Removes what an earlier demo left that would be in the way; data and models are kept. */
async function clearLeftovers(ctx: DemoContext): Promise<void> {
  const { services } = ctx.runtime
  const ignoreMissing = async (work: () => Promise<unknown>) => {
    try {
      await work()
    } catch (error) {
      if (!isAppError(error) || error.code !== 'RESOURCE_DOES_NOT_EXIST') throw error
    }
  }
  await ignoreMissing(() => services.monitoring.monitors.delete(DEMO.monitor, DEMO.actor))
  await ignoreMissing(() => services.serving.deployments.delete(DEMO.deployment, DEMO.actor))
}

/** Waits until the endpoint answers for the deployment (the data plane loads it within seconds). */
async function waitForEndpoint(ctx: DemoContext): Promise<void> {
  for (let i = 0; i < 300; i++) {
    const res = await fetch(`${ctx.baseUrl}/v2/models/${DEMO.deployment}/ready`)
    if (res.ok) return
    await sleep(100)
  }
  throw new InvalidParameterError(`deployment '${DEMO.deployment}' did not become ready in 30 s`)
}

/** Ingest January, train and register the champion, deploy it, and put a monitor on it. */
export async function setUpChampion(ctx: DemoContext, dataDir: string): Promise<DemoRecord> {
  const { services } = ctx.runtime
  const startedAt = Date.now()
  ctx.progress.step('Preparing flights-3m.parquet (vega-datasets): one file per month of 2001')
  const engine = await DuckEngine.open({ threads: 2 })
  let files: string[]
  try {
    files = await writeMonthFiles(engine, dataDir)
  } finally {
    engine.close()
  }
  await clearLeftovers(ctx)

  ctx.progress.step('Ingesting January as dataset flights (schema, profile, content digest)')
  const ingested = await services.data.ingest({
    name: DEMO.dataset,
    input: files[0]!,
    actor: systemActor('demo'),
  })
  const dataset = `${ingested.version.name}@${ingested.version.version}`
  ctx.progress.note(
    `${dataset}: ${ingested.version.rowCount.toLocaleString('en-US')} flights${ingested.existing ? ' (already there: reused)' : ''}`,
  )

  ctx.progress.step(
    `Training ${DEMO_TRAINING.algo} on ${dataset} (time split: test = last week of January)`,
  )
  const job = await services.jobs.enqueue({
    kind: 'train',
    createdBy: DEMO.actor,
    payload: {
      dataset,
      ...DEMO_TRAINING,
      split: { kind: 'time', column: 'date', test_after: '2001-01-25' },
      experiment: 'flights-demo',
      run_name: 'champion-january',
      register: DEMO.model,
      alias: DEMO.alias,
    },
  })
  const done = await waitForJob(ctx, job.id, 'training')
  const result = done.result as { metrics: Record<string, number>; model?: { version: string } }
  const version = Number(result.model?.version)
  ctx.progress.note(
    `${DEMO.model}/${version} is @${DEMO.alias}: test ROC AUC ${result.metrics.test_roc_auc?.toFixed(4)}, accuracy ${result.metrics.test_accuracy?.toFixed(4)}`,
  )

  ctx.progress.step(
    `Deploying ${DEMO.model}@${DEMO.alias} as '${DEMO.deployment}' and monitoring it`,
  )
  await services.serving.deployments.create(
    { name: DEMO.deployment, model: `${DEMO.model}@${DEMO.alias}` },
    DEMO.actor,
  )
  await services.monitoring.monitors.create(
    {
      name: DEMO.monitor,
      deployment: DEMO.deployment,
      every: `${ctx.options.window} predictions`,
      reference: 'training',
    },
    DEMO.actor,
  )
  const spec = parsePipelineYaml(
    retrainPipelineYaml({
      window: 12 * ctx.options.window,
      holdout: ctx.options.window,
      canaryPredictions: Math.round(ctx.options.window / 4),
    }),
    `${DEMO.pipeline}.yaml`,
  )
  await services.orchestration.pipelines.apply(spec, DEMO.actor)
  await waitForEndpoint(ctx)
  ctx.progress.note(
    `monitor '${DEMO.monitor}': a window every ${ctx.options.window} predictions, against the training data; pipeline '${DEMO.pipeline}' retrains on drift`,
  )
  return {
    dataset,
    champion: { version, metrics: result.metrics },
    months: [],
    startedAt,
  }
}

/**
 * Between months, lets the background work catch up before more traffic comes: the monitor's due
 * windows, and a retraining's data, training and evaluation. A rollout is not waited for — its
 * canary needs the traffic that the next month brings.
 */
async function letTheLoopCatchUp(ctx: DemoContext): Promise<void> {
  const { services } = ctx.runtime
  const deadline = Date.now() + 120_000
  let shown = ''
  while (Date.now() < deadline) {
    ctx.signal.throwIfAborted()
    const due = await services.monitoring.monitors.dueWindows(DEMO.monitor)
    const runs = await services.orchestration.pipelines.runs(DEMO.pipeline, { limit: 5 })
    const busy = runs
      .filter((r) => r.status === 'queued' || r.status === 'running')
      .flatMap((r) => r.steps.filter((s) => s.step !== 'rollout'))
      .filter((s) => s.status === 'pending' || s.status === 'running')
    if (due === 0 && busy.length === 0) return
    const state = busy.map((s) => `${s.step} ${s.status}`).join(', ')
    if (state !== shown && state !== '') ctx.progress.note(`retraining in progress: ${state}`)
    shown = state
    await sleep(250)
  }
}

/** February to June through the live endpoint, labels following each batch. */
export async function replayMonths(ctx: DemoContext, dataDir: string, record: DemoRecord) {
  const engine = await DuckEngine.open({ threads: 1 })
  try {
    for (const month of DEMO_MONTHS.slice(1)) {
      const file = path.join(dataDir, `flights-2001-${String(month).padStart(2, '0')}.parquet`)
      const total = await sampledRows(engine, file, ctx.options.sample)
      const name = new Date(Date.UTC(2001, month - 1, 1)).toLocaleString('en-US', {
        month: 'long',
        timeZone: 'UTC',
      })
      ctx.progress.step(
        `Replaying ${name}: ${total.toLocaleString('en-US')} flights through the endpoint, labels fed back`,
      )
      const bar = ctx.progress.bar(name, total)
      const stats = await replayMonth({
        engine,
        file,
        month,
        baseUrl: ctx.baseUrl,
        deployment: DEMO.deployment,
        sample: ctx.options.sample,
        batchSize: ctx.options.batchSize,
        onBatch: (n) => bar.add(n),
        signal: ctx.signal,
      })
      bar.done()
      record.months.push(stats)
      const versions = Object.entries(stats.byVersion)
        .map(([v, n]) => `v${v}: ${n}`)
        .join(', ')
      ctx.progress.note(
        `accuracy ${(stats.correct / Math.max(1, stats.predictions)).toFixed(4)}; answered by ${versions}`,
      )
      await letTheLoopCatchUp(ctx)
    }
  } finally {
    engine.close()
  }
}
