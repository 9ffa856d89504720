import { z } from 'zod'

const Nullable = z.number().nullable()

export const OpsReportWire = z.object({
  since: z.number().nullable(),
  lead_time: z.object({
    /** Median of `versions[].lead_time_ms`; null when no version reached a primary. */
    median_ms: Nullable,
    versions: z.array(
      z.object({
        deployment: z.string(),
        model: z.string(),
        version: z.number().int(),
        run_started_at: z.number(),
        promoted_at: z.number(),
        lead_time_ms: z.number(),
      }),
    ),
  }),
  /** Changes of a primary version, by ISO week (`2026-W09`), ascending. */
  deployments_per_week: z.array(z.object({ week: z.string(), deployments: z.number().int() })),
  rollbacks: z.object({
    count: z.number().int(),
    list: z.array(
      z.object({
        deployment: z.string(),
        time: z.number(),
        actor: z.string(),
        from_version: z.number().int().nullable(),
        to_version: z.number().int().nullable(),
      }),
    ),
  }),
  drift_to_promotion: z.array(
    z.object({
      pipeline_run: z.string(),
      event_id: z.number().int(),
      event_time: z.number(),
      deployment: z.string(),
      version: z.number().int(),
      promoted_at: z.number(),
      time_ms: z.number(),
    }),
  ),
  accuracy_over_time: z.array(
    z.object({
      deployment: z.string(),
      monitor: z.string(),
      window_end: z.number(),
      realized: Nullable,
      estimated: Nullable,
    }),
  ),
  cost: z.array(
    z.object({
      deployment: z.string(),
      version: z.number().int(),
      predictions: z.number(),
      cpu_seconds: z.number(),
      /** Null without predictions. */
      cpu_seconds_per_1000: Nullable,
    }),
  ),
})
export type OpsReportWire = z.output<typeof OpsReportWire>

export const OpsReportQuery = z.object({
  /** ISO 8601 time or epoch milliseconds. */
  since: z.string().optional(),
})
