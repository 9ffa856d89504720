import {
  AlreadyExistsError,
  AppError,
  NotFoundError,
  datasetInputDigest,
  type SignatureField,
  TrainingRequest,
  type TrainingResult,
} from '@ballast/contracts'
import { renderLineChartSvg } from '../charts/line-chart-svg.js'
import { parseDatasetRef } from '../data/index.js'
import { MODEL_ARTIFACT_PATH, packageModel } from '../registry/index.js'
import {
  HOLDOUT_SCORES_PATH,
  type TabularColumnType,
  type TabularModel,
  type TrainRequest,
  type TrialResult,
  encodeHoldoutScores,
  trainTabular,
} from '../training/index.js'
import type { MetricInput } from '../tracking/index.js'
import type { JobContext } from './job-types.js'
import type { Services } from './services.js'

/** The job kind of a training. */
export const TRAIN_JOB = 'train'

const PARENT_RUN_TAG = 'mlflow.parentRunId'
const BATCH = 1000

const SIGNATURE_TYPE: Record<TabularColumnType, SignatureField['type']> = {
  integer: 'long',
  float: 'double',
  boolean: 'boolean',
  string: 'string',
  datetime: 'datetime',
}

/** The model's signature: raw input columns by logical type, output tensors as the graph has them. */
export function signatureOf(model: TabularModel): {
  inputs: SignatureField[]
  outputs: SignatureField[]
} {
  return {
    inputs: model.inputs.map((c) => ({
      name: c.name,
      type: SIGNATURE_TYPE[c.type],
      required: true,
    })),
    outputs: model.outputs.map((o) => ({
      name: o.name,
      type: 'tensor' as const,
      tensorSpec: {
        dtype: o.type === 'float' ? 'float32' : 'int64',
        shape: o.shape.map((d) => (typeof d === 'number' ? d : -1)),
      },
    })),
  }
}

/** Logs a trained model as its run's model package (`model/MLmodel`, `model.onnx`, example). */
export async function uploadModelPackage(
  services: Services,
  experimentId: string,
  runId: string,
  model: TabularModel,
): Promise<void> {
  const files = packageModel({
    onnx: model.onnx,
    signature: signatureOf(model),
    inputExample: model.inputExample,
    runId,
    task: model.task,
    classes: model.classes,
    target: model.target,
    algo: model.algo,
  })
  for (const file of files) {
    await services.tracking.artifacts.upload(
      `${experimentId}/${runId}/artifacts/${MODEL_ARTIFACT_PATH}/${file.path}`,
      file.bytes,
    )
  }
}

/** The experiment's id, created when missing; the default experiment without a name. */
export async function experimentId(services: Services, name: string | undefined): Promise<string> {
  if (name === undefined) return '0'
  try {
    return (await services.tracking.experiments.getByName(name)).experiment_id
  } catch (error) {
    if (!(error instanceof NotFoundError)) throw error
  }
  try {
    return await services.tracking.experiments.create({ name })
  } catch (error) {
    // Another training created it first.
    if (error instanceof AlreadyExistsError) {
      return (await services.tracking.experiments.getByName(name)).experiment_id
    }
    throw error
  }
}

async function logMetrics(services: Services, runId: string, metrics: MetricInput[]) {
  for (let i = 0; i < metrics.length; i += BATCH) {
    await services.tracking.logging.logBatch(runId, { metrics: metrics.slice(i, i + BATCH) })
  }
}

function curveMetrics(model: TabularModel, timestamp: number): MetricInput[] {
  const out: MetricInput[] = []
  for (const [key, values] of Object.entries(model.curves)) {
    values?.forEach((value, step) => out.push({ key, value, timestamp, step }))
  }
  return out
}

function lossCurveSvg(model: TabularModel): string {
  const series = Object.entries(model.curves)
    .filter(([, values]) => values !== undefined && values.length > 0)
    .map(([name, values]) => ({
      name: name === 'train_loss' ? 'training' : 'validation',
      points: (values ?? []).map((y, x) => ({ x, y })),
    }))
  return renderLineChartSvg(series, {
    title: `${model.algo} loss per iteration`,
    xLabel: 'iteration',
    yLabel: model.task === 'regression' ? 'mean squared error' : 'log loss',
  })
}

const encoder = new TextEncoder()

/**
 * Runs one training: reads the dataset version, trains and evaluates (progress on the job), logs
 * parameters, the dataset input, metrics, loss curves, the model package and its evaluation to a
 * tracking run, and registers the model when asked. Search trials are nested runs. The run ends
 * FAILED (or KILLED when cancelled) if anything fails, and the error reaches the job.
 */
export async function runTrainJob(ctx: JobContext): Promise<TrainingResult> {
  return trainModel(ctx.services, TrainingRequest.parse(ctx.payload), {
    actor: ctx.job.createdBy,
    signal: ctx.signal,
    progress: (done, total, message) => ctx.progress(done, total, message),
    log: (message) => ctx.log(message),
    tags: [
      { key: 'mlflow.source.type', value: 'JOB' },
      { key: 'mlflow.source.name', value: `ballast train (job ${ctx.job.id})` },
      { key: 'ballast.job_id', value: ctx.job.id },
    ],
  })
}

/** What a training runs within: a `train` job, or a pipeline's train step. */
export interface TrainContext {
  /** Who the run and the registered version are recorded as created by. */
  actor: string
  signal: AbortSignal
  progress(done: number, total: number, message?: string): void
  log(message: string): void
  /** Tags of the training run naming what started it. */
  tags: { key: string; value: string }[]
}

/** The training itself, as `runTrainJob` describes it, for any caller with a context. */
export async function trainModel(
  services: Services,
  request: TrainingRequest,
  ctx: TrainContext,
): Promise<TrainingResult> {
  const { actor } = ctx
  const ref = parseDatasetRef(request.dataset)
  ctx.progress(0, 1, `reading ${ref.name}@${ref.version}`)
  const columns =
    request.features === undefined
      ? undefined
      : [
          ...new Set([
            ...request.features,
            request.target,
            ...(request.split?.kind === 'time' ? [request.split.column] : []),
          ]),
        ]
  const data = await services.data.readColumns(ref.name, ref.version, columns)
  const dataset = data.version
  ctx.log(`read ${dataset.name}@${dataset.version}: ${data.rowCount} rows`)

  const expId = await experimentId(services, request.experiment)
  const runName = request.run_name ?? `${request.algo}-${request.target}`
  const run = await services.tracking.runs.create(
    {
      experimentId: expId,
      runName,
      tags: ctx.tags,
    },
    actor,
  )
  const runId = run.info.run_id
  const artifactRoot = `${expId}/${runId}/artifacts`
  ctx.log(`tracking run ${runId} in experiment ${expId}`)
  try {
    await services.tracking.logging.logBatch(runId, {
      params: [
        { key: 'algo', value: request.algo },
        { key: 'task', value: request.task },
        { key: 'target', value: request.target },
        { key: 'dataset', value: `${dataset.name}@${dataset.version}` },
        ...Object.entries(request.params).map(([key, value]) => ({ key, value })),
      ],
    })
    await services.tracking.inputs.logInputs(runId, [
      {
        dataset: {
          name: dataset.name,
          digest: datasetInputDigest(dataset.digest),
          source_type: 'ballast',
          source: `ballast:${dataset.name}@${dataset.version}`,
        },
        tags: [{ key: 'mlflow.data.context', value: 'training' }],
      },
    ])

    const trainRequest: TrainRequest = {
      target: request.target,
      task: request.task,
      algo: request.algo,
      params: request.params,
      ...(request.features === undefined ? {} : { features: request.features }),
      ...(request.split === undefined
        ? {}
        : {
            split:
              request.split.kind === 'time'
                ? {
                    kind: 'time',
                    column: request.split.column,
                    testAfter: request.split.test_after,
                  }
                : { kind: 'random' },
          }),
      ...(request.search === undefined ? {} : { search: request.search }),
    }
    const onTrial = async (trial: TrialResult) => {
      const child = await services.tracking.runs.create(
        {
          experimentId: expId,
          runName: `${runName}-trial-${trial.index}`,
          tags: [{ key: PARENT_RUN_TAG, value: runId }],
        },
        actor,
      )
      await services.tracking.logging.logBatch(child.info.run_id, {
        params: Object.entries(trial.params).map(([key, value]) => ({ key, value: String(value) })),
        metrics: [{ key: trial.metric, value: trial.value, timestamp: Date.now(), step: 0 }],
      })
      await services.tracking.runs.update(child.info.run_id, {
        status: 'FINISHED',
        endTime: Date.now(),
      })
      ctx.log(`trial ${trial.index}: ${trial.metric} = ${trial.value.toFixed(6)}`)
    }
    const model = await trainTabular(
      { rowCount: data.rowCount, columns: data.columns },
      trainRequest,
      {
        onProgress: (p) => ctx.progress(p.done, p.total, p.message ?? p.phase),
        onTrial,
        signal: ctx.signal,
      },
    )

    ctx.progress(0, 1, 'logging results')
    const given = new Set(Object.keys(request.params))
    const resolved = Object.entries(model.params)
      .filter(([key]) => !given.has(key) && !['algo', 'task', 'target', 'dataset'].includes(key))
      .map(([key, value]) => ({ key, value: String(value) }))
    if (resolved.length > 0) await services.tracking.logging.logBatch(runId, { params: resolved })
    const now = Date.now()
    await logMetrics(services, runId, [
      ...Object.entries(model.metrics).map(([key, value]) => ({
        key,
        value,
        timestamp: now,
        step: 0,
      })),
      ...curveMetrics(model, now),
    ])
    await uploadModelPackage(services, expId, runId, model)
    await services.tracking.artifacts.upload(
      `${artifactRoot}/evaluation.json`,
      encoder.encode(
        JSON.stringify(
          { metrics: model.metrics, evaluation: model.evaluation, trials: model.trials },
          null,
          2,
        ),
      ),
    )
    if (model.holdout !== undefined && model.classes !== undefined) {
      await services.tracking.artifacts.upload(
        `${artifactRoot}/${HOLDOUT_SCORES_PATH}`,
        encoder.encode(encodeHoldoutScores({ classes: model.classes, ...model.holdout })),
      )
    }
    if (model.curves.train_loss.length > 0) {
      await services.tracking.artifacts.upload(
        `${artifactRoot}/loss_curve.svg`,
        encoder.encode(lossCurveSvg(model)),
      )
    }
    await services.tracking.runs.update(runId, { status: 'FINISHED', endTime: Date.now() })

    const result: TrainingResult = {
      run_id: runId,
      experiment_id: expId,
      dataset: { name: dataset.name, version: dataset.version, digest: dataset.digest },
      metrics: model.metrics,
      train_rows: model.evaluation.trainRows,
      test_rows: model.evaluation.testRows,
    }
    if (request.register !== undefined) {
      result.model = await register(services, request, runId, actor)
      ctx.log(`registered ${result.model.name} version ${result.model.version}`)
    }
    ctx.progress(1, 1, 'done')
    return result
  } catch (error) {
    const cancelled = ctx.signal.aborted
    await services.tracking.runs
      .update(runId, { status: cancelled ? 'KILLED' : 'FAILED', endTime: Date.now() })
      .catch(() => undefined)
    if (!(error instanceof AppError)) {
      await services.tracking.logging
        .setTag(runId, 'ballast.error', String((error as Error).message ?? error).slice(0, 5000))
        .catch(() => undefined)
    }
    throw error
  }
}

async function register(
  services: Services,
  request: TrainingRequest,
  runId: string,
  actor: string,
): Promise<NonNullable<TrainingResult['model']>> {
  const name = request.register!
  try {
    await services.registry.models.create({ name }, actor)
  } catch (error) {
    if (!(error instanceof AlreadyExistsError)) throw error
  }
  const version = await services.registry.versions.create(
    { name, source: `runs:/${runId}/${MODEL_ARTIFACT_PATH}`, runId },
    actor,
  )
  if (request.alias === undefined) return { name, version: version.version }
  await services.registry.aliases.set(
    { name, alias: request.alias, version: version.version },
    actor,
  )
  return { name, version: version.version, alias: request.alias }
}
