import {
  type DatasetLineageWire,
  type LineagePipelineRunWire,
  type ModelLineageTreeWire,
  NotFoundError,
  type PredictionLineageWire,
} from '@ballast/contracts'
import { DuckEngine, parseDatasetRef } from '../data/index.js'
import type { PipelineRun } from '../orchestration/index.js'
import { createRolloutStore, parseModelRef, validateDeploymentName } from '../serving/index.js'
import type { Services } from './services.js'

/** Tags a pipeline step puts on its tracking run. */
const PIPELINE_RUN_TAG = 'ballast.pipeline_run'
const STEP_TAG = 'ballast.step'
const sqlText = (text: string) => `'${text.replaceAll("'", "''")}'`

/** The pipeline run with its trigger, decision and rollout, as lineage shows it. */
export async function pipelineRunLineage(
  services: Services,
  run: PipelineRun,
  step: string | null,
): Promise<LineagePipelineRunWire> {
  const [decision = null] = await services.orchestration.decisions.list({
    pipelineRun: run.id,
    limit: 1,
  })
  const [rollout = null] = await createRolloutStore(services.store).list({
    pipelineRun: run.id,
    limit: 1,
  })
  return {
    id: run.id,
    pipeline: run.pipeline,
    status: run.status,
    step,
    trigger: { kind: run.trigger.kind, detail: run.trigger.detail, values: run.trigger.values },
    created_at: run.createdAt,
    decision:
      decision === null
        ? null
        : { id: decision.id, status: decision.status, passed: decision.passed },
    rollout:
      rollout === null
        ? null
        : {
            id: rollout.id,
            deployment: rollout.deployment,
            status: rollout.status,
            version: rollout.version,
          },
  }
}

/** The pipeline run a tracking run was a step of; null for a run made outside pipelines. */
async function pipelineRunOf(
  services: Services,
  trackingRunId: string,
): Promise<LineagePipelineRunWire | null> {
  let tags: { key: string; value: string }[]
  try {
    tags = (await services.tracking.runs.get(trackingRunId)).data.tags ?? []
  } catch (error) {
    if (error instanceof NotFoundError) return null
    throw error
  }
  const id = tags.find((t) => t.key === PIPELINE_RUN_TAG)?.value
  if (id === undefined) return null
  const step = tags.find((t) => t.key === STEP_TAG)?.value ?? null
  return pipelineRunLineage(services, await services.orchestration.pipelines.run(id), step)
}

/** `NAME/VERSION` or `NAME@ALIAS` → the version's run, datasets, pipeline run and deployments. */
export async function modelLineage(services: Services, ref: string): Promise<ModelLineageTreeWire> {
  const parsed = parseModelRef(ref, 'ref')
  const shown = await services.registry.details.show(
    parsed.model,
    parsed.kind === 'alias' ? `@${parsed.alias}` : String(parsed.version),
  )
  const version = shown.version.version
  const deployments: ModelLineageTreeWire['deployments'] = []
  for (const d of await services.serving.deployments.list()) {
    if (d.model !== parsed.model) continue
    if (d.version === version) deployments.push({ name: d.name, role: 'primary' })
    if (d.canary?.version === version) deployments.push({ name: d.name, role: 'canary' })
    if (d.shadow?.version === version) deployments.push({ name: d.name, role: 'shadow' })
  }
  return {
    model: parsed.model,
    version,
    aliases: shown.version.aliases,
    run_id: shown.lineage.run_id,
    datasets: shown.lineage.datasets,
    params: shown.lineage.params,
    metrics: shown.lineage.metrics,
    registered_at: shown.lineage.registered_at,
    pipeline_run:
      shown.lineage.run_id === '' ? null : await pipelineRunOf(services, shown.lineage.run_id),
    deployments,
  }
}

interface LoggedPrediction {
  requestId: string
  deployment: string
  model: string
  version: number
  time: number
  shadow: boolean
}

/**
 * The logged answer with this request id in one deployment's log. A records request logs one row
 * per record as `<request id>-<index>`, so the bare request id finds its first record.
 */
async function findPrediction(
  services: Services,
  deployment: string,
  requestId: string,
): Promise<LoggedPrediction | null> {
  const files = await services.serving.predictions.query({ deployment, includeShadow: true })
  try {
    if (files.files.length === 0) return null
    const engine = await DuckEngine.open({ threads: 1 })
    try {
      const prefix = `${requestId.replaceAll(/[\\%_]/g, (c) => `\\${c}`)}-%`
      const rows = await engine.all(
        `SELECT request_id, model, version, epoch_ms(time)::DOUBLE AS time, shadow ` +
          `FROM ${files.relation} p WHERE request_id = ${sqlText(requestId)} ` +
          `OR request_id LIKE ${sqlText(prefix)} ESCAPE '\\' ` +
          `ORDER BY request_id = ${sqlText(requestId)} DESC, shadow, length(request_id), request_id LIMIT 1`,
      )
      const row = rows[0]
      if (row === undefined) return null
      return {
        requestId: String(row.request_id),
        deployment,
        model: String(row.model),
        version: Number(row.version),
        time: Number(row.time),
        shadow: row.shadow === true,
      }
    } finally {
      engine.close()
    }
  } finally {
    await files.dispose()
  }
}

/** A logged prediction → the model version that answered → its run, data and pipeline run. */
export async function predictionLineage(
  services: Services,
  requestId: string,
  deployment?: string,
): Promise<PredictionLineageWire> {
  const names =
    deployment === undefined
      ? (await services.serving.deployments.list()).map((d) => d.name)
      : [validateDeploymentName(deployment, 'deployment')]
  let found: LoggedPrediction | null = null
  for (const name of names) {
    found = await findPrediction(services, name, requestId)
    if (found !== null) break
  }
  if (found === null) {
    const where = deployment === undefined ? 'any deployment' : `deployment '${deployment}'`
    throw new NotFoundError(`Prediction '${requestId}' not found in the log of ${where}`)
  }
  const labels = await services.serving.feedback.lookup(found.deployment, [found.requestId])
  return {
    request_id: found.requestId,
    deployment: found.deployment,
    time: found.time,
    shadow: found.shadow,
    label: labels.get(found.requestId)?.label ?? null,
    model: await modelLineage(services, `${found.model}/${found.version}`),
  }
}

/** Model versions searched for those trained on a dataset version, newest first. */
const SEARCH_LIMIT = 1000
/** Pipeline runs are listed per pipeline; this many newest of each are searched. */
const RUNS_PER_PIPELINE = 200

/** `NAME@V` → its versions, the model versions trained on it and the pipeline runs that made it. */
export async function datasetLineage(services: Services, ref: string): Promise<DatasetLineageWire> {
  const parsed = parseDatasetRef(ref)
  const found = await services.data.getVersion(parsed.name, parsed.version)
  const versions = (await services.data.listVersions(found.name)).map((v) => v.version)
  const models: DatasetLineageWire['models'] = []
  const search = await services.registry.versions.search({ maxResults: SEARCH_LIMIT })
  for (const mv of search.model_versions ?? []) {
    const lineage = await services.registry.details.lineage(mv.name, mv.version)
    const used = lineage.datasets.some(
      (d) => d.digest === found.digest || (d.name === found.name && d.version === found.version),
    )
    if (used) models.push({ model: mv.name, version: Number(mv.version), run_id: lineage.run_id })
  }
  models.sort((a, b) => a.model.localeCompare(b.model) || a.version - b.version)
  // A step that makes a dataset version hands it on as outputs naming it (`dataset`, `version`)
  // or as a `NAME@V` reference.
  const refText = `${found.name}@${found.version}`
  const pipelineRuns: LineagePipelineRunWire[] = []
  for (const pipeline of await services.orchestration.pipelines.list()) {
    const runs = await services.orchestration.pipelines.runs(pipeline.name, {
      limit: RUNS_PER_PIPELINE,
    })
    for (const run of runs) {
      const step = run.steps.find((s) => {
        const o = s.outputs ?? {}
        const values = Object.values(o)
        return (
          values.includes(refText) ||
          (o.dataset === found.name && Number(o.version) === found.version)
        )
      })
      if (step !== undefined) pipelineRuns.push(await pipelineRunLineage(services, run, step.step))
    }
  }
  return {
    name: found.name,
    version: found.version,
    digest: found.digest,
    rows: found.rowCount,
    created_at: found.createdAt,
    created_by: found.createdBy,
    versions,
    models,
    pipeline_runs: pipelineRuns,
  }
}
