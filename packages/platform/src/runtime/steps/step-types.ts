import type { JobLogLevel } from '@ballast/contracts'
import type { StepInputs, StepOutputs } from '../../orchestration/index.js'
import type { Services } from '../services.js'

/** What a step kind gets while it runs (inside a `pipeline-step` job). */
export interface StepContext {
  services: Services
  pipeline: string
  runId: string
  step: string
  /** Who the step acts as: `system:pipeline:<name>`. Recorded on every change it makes. */
  actor: string
  /** The tracking run recording the step (params, metrics, outputs). */
  trackingRunId: string
  /** The server a program started by the step should log to, when the worker knows one. */
  trackingUri?: string
  signal: AbortSignal
  progress(done: number, total: number, message?: string): void
  log(message: string, level?: JobLogLevel): void
}

/** One kind of pipeline step: checks its inputs, then does its work and returns its outputs. */
export interface StepKind {
  readonly kind: string
  /**
   * Checks the step's `with` as declared (references not yet resolved, so only literal values
   * can be checked); throws InvalidParameterError naming `field` and the key.
   */
  validate(inputs: StepInputs, field: string): void
  run(ctx: StepContext, inputs: StepInputs): Promise<StepOutputs>
  /** Whether a later run with the same inputs may reuse the outputs (default true). */
  readonly cacheable?: boolean
  /**
   * Keys of `with` holding file paths (a string or a list of strings): resolved against the
   * pipeline file's folder when it is read, and read by the server only under allowed folders.
   */
  readonly fileInputs?: readonly string[]
  /**
   * Digests of what the resolved inputs name beyond their text (a dataset version's content, a
   * file's bytes), folded into the cache key so that new data or code is never served from cache.
   */
  inputDigests?(services: Services, inputs: StepInputs): Promise<Record<string, string>>
}
