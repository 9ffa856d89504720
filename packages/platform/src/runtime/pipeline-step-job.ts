import { AppError, InvalidParameterError } from '@ballast/contracts'
import { canonicalJson } from '../governance/index.js'
import {
  PIPELINE_STEP_JOB,
  type PipelineStepPayload,
  type StepInputs,
  type StepOutputs,
  type StepResult,
  resolveValue,
  sha256,
} from '../orchestration/index.js'
import type { JobContext } from './job-types.js'
import type { Services } from './services.js'
import { stepKind } from './steps/index.js'
import type { StepKind } from './steps/step-types.js'
import { experimentId } from './train-job.js'

export { PIPELINE_STEP_JOB }

/** MLflow's longest param value. */
const MAX_PARAM_CHARS = 6000

function parsePayload(payload: unknown): PipelineStepPayload {
  const p = payload as Partial<PipelineStepPayload> | null
  if (typeof p?.runId !== 'string' || typeof p.step !== 'string') {
    throw new InvalidParameterError('pipeline-step job payload: expected {runId, step, attempt}')
  }
  return { runId: p.runId, step: p.step, attempt: Number(p.attempt ?? 1) }
}

/** Inputs as params: nested keys joined with `.`, lists as JSON. */
function flatten(value: unknown, prefix: string, out: { key: string; value: string }[]) {
  if (value !== null && typeof value === 'object' && !Array.isArray(value)) {
    for (const [k, v] of Object.entries(value))
      flatten(v, prefix === '' ? k : `${prefix}.${k}`, out)
    return out
  }
  const text = typeof value === 'string' ? value : JSON.stringify(value)
  out.push({ key: prefix, value: text.slice(0, MAX_PARAM_CHARS) })
  return out
}

/** The cache key: the kind, the resolved inputs, and the digests of what they name. */
async function cacheKeyOf(services: Services, kind: StepKind, inputs: StepInputs): Promise<string> {
  const digests = (await kind.inputDigests?.(services, inputs)) ?? {}
  return sha256(canonicalJson({ kind: kind.kind, inputs, digests }))
}

/**
 * The `pipeline-step` job: one attempt of one step. Resolves the step's references, reuses cached
 * outputs when its cache key was seen before, and otherwise runs the kind inside a tracking run
 * (experiment `pipeline:<name>`; params are the resolved inputs, outputs logged as
 * `output.<key>`). Records the outcome on the run, then moves the run on. A failed attempt is
 * retried by the coordinator (a new job, after its backoff) unless the error is the caller's.
 */
export async function runPipelineStepJob(ctx: JobContext): Promise<StepResult | null> {
  const { runId, step } = parsePayload(ctx.payload)
  const { services } = ctx
  const coordinator = services.orchestration.pipelines.coordinator
  const state = await coordinator.stepState(runId, step)
  // A run cancelled, or an attempt superseded (the resume check moved on): nothing to do.
  if (
    state.runStatus !== 'running' ||
    state.row.status !== 'running' ||
    state.row.job_id !== ctx.job.id
  ) {
    ctx.log(`step ${step} of run ${runId} is ${state.row.status}; nothing to do`)
    return null
  }
  const actor = `system:pipeline:${state.pipeline}`
  let trackingRunId: string | null = null
  try {
    const kind = stepKind(state.step.kind)
    const inputs = resolveValue(state.step.with, state.scope, 'with') as StepInputs
    kind.validate(inputs, 'with')
    let cacheKey: string | null = null
    if (state.step.cache !== false && kind.cacheable !== false) {
      cacheKey = await cacheKeyOf(services, kind, inputs)
      const hit = await coordinator.cached(cacheKey)
      if (hit !== undefined) {
        ctx.log(`step ${step}: inputs unchanged, outputs reused from cache`)
        const result: StepResult = { status: 'cached', ...hit, cacheKey }
        await coordinator.completeStep(runId, step, ctx.job.id, result)
        await coordinator.advance(runId)
        return result
      }
    }

    const expId = await experimentId(services, `pipeline:${state.pipeline}`)
    const run = await services.tracking.runs.create(
      {
        experimentId: expId,
        runName: `${state.pipeline}-${step}`,
        tags: [
          { key: 'mlflow.source.type', value: 'JOB' },
          { key: 'mlflow.source.name', value: `ballast pipeline ${state.pipeline}` },
          { key: 'ballast.pipeline', value: state.pipeline },
          { key: 'ballast.pipeline_run', value: runId },
          { key: 'ballast.step', value: step },
          { key: 'ballast.step_kind', value: kind.kind },
          { key: 'ballast.job_id', value: ctx.job.id },
        ],
      },
      actor,
    )
    trackingRunId = run.info.run_id
    const params = flatten(inputs, '', [])
    if (params.length > 0) await services.tracking.logging.logBatch(trackingRunId, { params })
    const outputs: StepOutputs = await kind.run(
      {
        services,
        pipeline: state.pipeline,
        runId,
        step,
        actor,
        trackingRunId,
        ...(ctx.trackingUri === undefined ? {} : { trackingUri: ctx.trackingUri }),
        signal: ctx.signal,
        progress: (done, total, message) => ctx.progress(done, total, message),
        log: (message, level) => ctx.log(message, level),
      },
      inputs,
    )
    const logged = flatten(outputs, 'output', [])
    if (logged.length > 0) {
      await services.tracking.logging.logBatch(trackingRunId, { params: logged })
    }
    await services.tracking.runs.update(trackingRunId, { status: 'FINISHED', endTime: Date.now() })
    const result: StepResult = { status: 'succeeded', outputs, cacheKey, trackingRunId }
    await coordinator.completeStep(runId, step, ctx.job.id, result)
    await coordinator.advance(runId)
    return result
  } catch (error) {
    const reason = ctx.signal.aborted ? ctx.signal.reason : undefined
    if (trackingRunId !== null) {
      await services.tracking.runs
        .update(trackingRunId, {
          status: reason === undefined ? 'FAILED' : 'KILLED',
          endTime: Date.now(),
        })
        .catch(() => undefined)
    }
    // A worker shutting down puts the job back; a lost lease is another worker's now.
    if (reason === 'shutdown' || reason === 'lease-lost') throw error
    const message = error instanceof Error ? error.message : String(error)
    const retry = reason === undefined && !(error instanceof AppError && error.status < 500)
    await coordinator.failStep(runId, step, ctx.job.id, message, { retry })
    await coordinator.advance(runId)
    throw error
  }
}
