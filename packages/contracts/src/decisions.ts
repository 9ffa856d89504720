import { z } from 'zod'

/**
 * The promotion decisions API (`/api/v1/decisions`): a challenger judged against the champion
 * under a promotion policy, rule by rule, and approvals of decisions that wait for a person.
 * Times are epoch milliseconds.
 */

export const DECISION_STATUSES_WIRE = ['passed', 'failed', 'pending_approval'] as const

export const DecisionRuleWire = z.object({
  /** The rule as written, e.g. `roc_auc >= champion + 0.005`. */
  rule: z.string(),
  /** Null while the rule waits for approval. */
  passed: z.boolean().nullable(),
  /** Why, with the numbers. */
  reason: z.string(),
})
export type DecisionRuleWire = z.output<typeof DecisionRuleWire>

export const DecisionWire = z.object({
  id: z.number().int().positive(),
  model: z.string(),
  challenger_version: z.number().int().positive(),
  /** Null when there was no champion. */
  champion_version: z.number().int().positive().nullable(),
  status: z.enum(DECISION_STATUSES_WIRE),
  passed: z.boolean(),
  /** The policy as written (`{rules: [...]}`). */
  policy: z.object({ rules: z.array(z.record(z.string(), z.unknown())) }),
  /** What the rules were judged on: metrics of both models, validation, drift, approval. */
  facts: z.object({
    challenger: z.record(z.string(), z.number()),
    champion: z.record(z.string(), z.number()).nullable(),
    validation: z.object({ passed: z.boolean() }).optional(),
    drift: z.object({ share: z.number() }).optional(),
    approval: z.object({ by: z.string(), at: z.number() }).nullable().optional(),
  }),
  rules: z.array(DecisionRuleWire),
  /** The pipeline run whose evaluate step decided. */
  pipeline_run: z.string().nullable(),
  decided_at: z.number().int(),
  decided_by: z.string(),
  approved_by: z.string().nullable(),
  approved_at: z.number().int().nullable(),
})
export type DecisionWire = z.output<typeof DecisionWire>

export const ListDecisionsQuery = z.object({
  model: z.string().min(1).optional(),
  limit: z.coerce.number().int().min(1).max(1000).optional(),
})
export type ListDecisionsQuery = z.output<typeof ListDecisionsQuery>

export const ListDecisionsResponse = z.object({ decisions: z.array(DecisionWire) })
export type ListDecisionsResponse = z.output<typeof ListDecisionsResponse>

export const DecisionResponse = z.object({ decision: DecisionWire })
export type DecisionResponse = z.output<typeof DecisionResponse>
