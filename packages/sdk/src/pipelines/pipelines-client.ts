import {
  AppError,
  InvalidParameterError,
  type ListPipelineRunsResponse,
  type ListPipelinesResponse,
  PIPELINE_RUNS_API,
  PIPELINES_API,
  type PipelineResponse,
  type PipelineRunResponse,
  type PipelineRunWire,
  type PipelineWire,
  type StepRunWire,
} from '@ballast/contracts'
import { sleep } from '../backoff.js'
import type { HttpClient } from '../http-client.js'
import type { ParamValue, PipelineDefinition } from './pipeline-definition.js'
import { type StageOptions, stageFiles } from './pipeline-files.js'

const FINAL: readonly string[] = ['succeeded', 'failed', 'cancelled']
const enc = encodeURIComponent

export interface WaitOptions {
  /** Called with each step whose status (or attempt) changed, as the run goes. */
  onStep?: (step: StepRunWire, run: PipelineRunWire) => void
  /** How often the run is read (default 500 ms). */
  pollMs?: number
  /**
   * Give up waiting after this long: a TEMPORARILY_UNAVAILABLE error. The run goes on, and
   * `waitForRun` can pick it up again.
   */
  timeoutMs?: number
  signal?: AbortSignal
}

export interface RunOptions extends StageOptions, WaitOptions {
  /** Overrides of the pipeline's declared params for this run. */
  params?: Record<string, ParamValue>
  /** `false`: return the run as it started (status `running`) instead of waiting for its end. */
  wait?: boolean
}

/** Pipelines on a Ballast server: apply a definition, run it, follow its steps. */
export class Pipelines {
  constructor(private readonly http: HttpClient) {}

  /** Applies (creates or replaces) a pipeline; the server checks it as it checks YAML. */
  async apply(definition: PipelineDefinition, options: StageOptions = {}): Promise<PipelineWire> {
    const spec = await stageFiles(this.http, definition, options)
    const res = await this.http.request<PipelineResponse>('POST', PIPELINES_API, { spec })
    return res.pipeline
  }

  /** Applies YAML text, as `ballast pipeline run FILE` would; `source` names it in errors. */
  async applyYaml(yaml: string, source?: string): Promise<PipelineWire> {
    const body = { yaml, ...(source === undefined ? {} : { source }) }
    return (await this.http.request<PipelineResponse>('POST', PIPELINES_API, body)).pipeline
  }

  async get(name: string): Promise<PipelineWire> {
    return (await this.http.request<PipelineResponse>('GET', `${PIPELINES_API}/${enc(name)}`))
      .pipeline
  }

  async list(): Promise<PipelineWire[]> {
    return (await this.http.request<ListPipelinesResponse>('GET', PIPELINES_API)).pipelines
  }

  /** Runs of a pipeline, newest first. */
  async runs(name: string, query: { since?: number; limit?: number } = {}) {
    const res = await this.http.request<ListPipelineRunsResponse>(
      'GET',
      `${PIPELINES_API}/${enc(name)}/runs`,
      query,
    )
    return res.runs
  }

  async getRun(id: string): Promise<PipelineRunWire> {
    return (await this.http.request<PipelineRunResponse>('GET', `${PIPELINE_RUNS_API}/${enc(id)}`))
      .run
  }

  async cancel(id: string): Promise<PipelineRunWire> {
    const path = `${PIPELINE_RUNS_API}/${enc(id)}/cancel`
    return (await this.http.request<PipelineRunResponse>('POST', path)).run
  }

  /**
   * Starts a run of an applied pipeline (by name) or of a definition (applied first), and by
   * default waits for it to end. A failed run is returned, not thrown: read `status` and `error`.
   */
  async run(
    pipeline: string | PipelineDefinition,
    options: RunOptions = {},
  ): Promise<PipelineRunWire> {
    const name =
      typeof pipeline === 'string' ? pipeline : (await this.apply(pipeline, options)).name
    const res = await this.http.request<PipelineRunResponse>(
      'POST',
      `${PIPELINES_API}/${enc(name)}/runs`,
      { params: options.params ?? {} },
    )
    if (options.wait === false) return res.run
    return this.waitForRun(res.run.id, options)
  }

  /** Reads the run until it has ended, telling `onStep` of every step that changed. */
  async waitForRun(id: string, options: WaitOptions = {}): Promise<PipelineRunWire> {
    const pollMs = options.pollMs ?? 500
    if (!Number.isInteger(pollMs) || pollMs < 1) {
      throw new InvalidParameterError(`invalid pollMs ${pollMs}: expected an integer >= 1`)
    }
    const deadline = options.timeoutMs === undefined ? Infinity : Date.now() + options.timeoutMs
    const seen = new Map<string, string>()
    for (;;) {
      options.signal?.throwIfAborted()
      const run = await this.getRun(id)
      for (const step of run.steps) {
        const state = `${step.status}/${step.attempts}`
        if (step.status === 'pending' || seen.get(step.step) === state) continue
        seen.set(step.step, state)
        options.onStep?.(step, run)
      }
      if (FINAL.includes(run.status)) return run
      if (Date.now() >= deadline) {
        throw new AppError(
          'TEMPORARILY_UNAVAILABLE',
          `pipeline run ${id} had not ended after ${options.timeoutMs} ms (it is ${run.status}; it goes on)`,
        )
      }
      await sleep(Math.min(pollMs, Math.max(1, deadline - Date.now())))
    }
  }
}
