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
}
