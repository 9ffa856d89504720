import { z } from 'zod'

/**
 * Pipeline triggers' firings (`/api/v1/pipelines/:name/firings`): each time a schedule, a new
 * dataset version or a monitor event fired a pipeline, and what came of it. Times are epoch ms.
 */

/** The route pattern; `pipelineFiringsPath` fills it in. */
export const PIPELINE_FIRINGS_API = '/api/v1/pipelines/:name/firings'

export const pipelineFiringsPath = (name: string): string =>
  `/api/v1/pipelines/${encodeURIComponent(name)}/firings`

/**
 * started: a run started; merged: a run had started less than the pipeline's debounce before, and
 * the firing joined it; capped: the pipeline had its triggered runs for the UTC day; failed: the
 * run could not start (`error` says why).
 */
export const FiringOutcomeWire = z.enum(['started', 'merged', 'capped', 'failed'])
export type FiringOutcomeWire = z.output<typeof FiringOutcomeWire>

export const FiringWire = z.object({
  id: z.number().int(),
  time: z.number().int(),
  pipeline: z.string(),
  /** The trigger's position (from 0) in the pipeline's `triggers`. */
  trigger: z.number().int(),
  kind: z.enum(['schedule', 'dataset', 'event']),
  /** `0 * * * *`, `loans@2`, `drift_detected #12 (monitor loans)`. */
  reason: z.string(),
  /** What the run reads as `${{ trigger.KEY }}`. */
  values: z.record(z.string(), z.union([z.string(), z.number()])),
  outcome: FiringOutcomeWire,
  /** The run started, or the run merged into; null when capped or failed. */
  run_id: z.string().nullable(),
  error: z.string().nullable(),
})
export type FiringWire = z.output<typeof FiringWire>

export const FiringsQuery = z.object({
  /** The newest this many (100 by default). */
  limit: z.coerce.number().int().min(1).max(1000).optional(),
})
export type FiringsQuery = z.output<typeof FiringsQuery>

/** Newest first. */
export const FiringsResponse = z.object({ firings: z.array(FiringWire) })
export type FiringsResponse = z.output<typeof FiringsResponse>
