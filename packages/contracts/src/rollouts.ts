import { z } from 'zod'

/**
 * The rollouts API (`/api/v1/rollouts`): each model version a pipeline's deploy step rolled out,
 * directly or as a watched canary, with what was measured and why it was promoted or rolled
 * back. Times are epoch milliseconds.
 */

export const ROLLOUT_STATUSES = [
  'watching',
  'promoted',
  'rolled_back',
  'deployed',
  'failed',
] as const
export type RolloutStatusWire = (typeof ROLLOUT_STATUSES)[number]

export const RolloutWire = z.object({
  id: z.string(),
  deployment: z.string(),
  model: z.string(),
  version: z.number().int().positive(),
  /** The primary when the rollout started; null when it created the deployment. */
  from_version: z.number().int().positive().nullable(),
  /** The canary's share; null for a direct deployment. */
  percent: z.number().nullable(),
  status: z.enum(ROLLOUT_STATUSES),
  /** Moved with compare-and-set after a promotion: from `alias_version` to `version`. */
  alias: z.string().nullable(),
  alias_version: z.number().int().positive().nullable(),
  started_at: z.number().int(),
  finished_at: z.number().int().nullable(),
  /** Error rates, p99 latencies (ms), accuracies, counts: canary beside primary. */
  figures: z.record(z.string(), z.union([z.number(), z.string(), z.null()])),
  reasons: z.array(z.string()),
  pipeline_run: z.string().nullable(),
  step: z.string().nullable(),
  created_by: z.string(),
})
export type RolloutWire = z.output<typeof RolloutWire>

export const ListRolloutsQuery = z.object({
  deployment: z.string().min(1).optional(),
  status: z.enum(ROLLOUT_STATUSES).optional(),
  limit: z.coerce.number().int().min(1).max(1000).optional(),
})
export type ListRolloutsQuery = z.output<typeof ListRolloutsQuery>

export const ListRolloutsResponse = z.object({ rollouts: z.array(RolloutWire) })
export type ListRolloutsResponse = z.output<typeof ListRolloutsResponse>
