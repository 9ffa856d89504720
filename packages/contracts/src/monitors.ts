import { z } from 'zod'

/**
 * The monitors API (`/api/v1/monitors`): monitors watch a deployment's prediction log window by
 * window (feature and prediction drift against the training data, data quality, realized and
 * estimated performance), raise events, and post them to webhooks. Times are epoch milliseconds.
 */

export const MONITORS_API = '/api/v1/monitors'
export const MONITOR_EVENTS_API = '/api/v1/monitor-events'

export const monitorPath = (name: string, rest = ''): string =>
  `${MONITORS_API}/${encodeURIComponent(name)}${rest}`

export const MonitorEventTypeWire = z.enum([
  'drift_detected',
  'data_quality_failed',
  'performance_degraded',
])
export type MonitorEventTypeWire = z.output<typeof MonitorEventTypeWire>

export const MonitorDetectorWire = z.enum(['adwin', 'ddm', 'eddm', 'page-hinkley', 'kswin'])
export type MonitorDetectorWire = z.output<typeof MonitorDetectorWire>

export const QualityThresholdsWire = z.object({
  missing_share: z.number(),
  new_category_share: z.number(),
  out_of_range_share: z.number(),
})

/** The options a monitor runs with, defaults filled in; null where the drift test's own applies. */
export const MonitorOptionsWire = z.object({
  stattest: z.string().nullable(),
  num_stattest: z.string().nullable(),
  cat_stattest: z.string().nullable(),
  per_column_stattest: z.record(z.string(), z.string()).nullable(),
  threshold: z.number().nullable(),
  drift_share: z.number(),
  /** Null: every input of the model. */
  columns: z.array(z.string()).nullable(),
  detector: MonitorDetectorWire,
  performance_tolerance: z.number(),
  min_labeled: z.number().int(),
  quality: QualityThresholdsWire,
})
export type MonitorOptionsWire = z.output<typeof MonitorOptionsWire>

export const MonitorWire = z.object({
  name: z.string(),
  deployment: z.string(),
  /** `1000 predictions` or a duration (`15m`, `1h`, `1d`). */
  every: z.string(),
  /** `training` or `DATASET@VERSION`. */
  reference: z.string(),
  options: MonitorOptionsWire,
  /** Where the next window starts; for windows of predictions, the last request id taken. */
  cursor: z.object({ time: z.number().int(), request_id: z.string().nullable() }),
  /** Windows evaluated so far. */
  windows: z.number().int(),
  created_by: z.string(),
  created_at: z.number().int(),
  updated_at: z.number().int(),
})
export type MonitorWire = z.output<typeof MonitorWire>

export const CreateMonitorRequest = z
  .object({
    /** Default: the deployment's name. */
    name: z.string().optional(),
    deployment: z.string(),
    /** `1000 predictions` (default), `1000`, or a duration: `30s`, `15m`, `1h`, `1d`. */
    every: z.string().optional(),
    /** `training` (default: the data the served model was trained on) or `DATASET@VERSION`. */
    reference: z.string().optional(),
    options: z
      .object({
        stattest: z.string().optional(),
        num_stattest: z.string().optional(),
        cat_stattest: z.string().optional(),
        per_column_stattest: z.record(z.string(), z.string()).optional(),
        threshold: z.number().optional(),
        drift_share: z.number().optional(),
        columns: z.array(z.string()).optional(),
        detector: MonitorDetectorWire.optional(),
        performance_tolerance: z.number().optional(),
        min_labeled: z.number().int().optional(),
        quality: z
          .object({
            missing_share: z.number().optional(),
            new_category_share: z.number().optional(),
            out_of_range_share: z.number().optional(),
          })
          .strict()
          .optional(),
      })
      .strict()
      .optional(),
    /** Where the first window starts: epoch ms or ISO-8601; default now. */
    since: z.union([z.number().int(), z.string()]).optional(),
  })
  .strict()
export type CreateMonitorRequest = z.output<typeof CreateMonitorRequest>

/** Evidently's per-column drift result; a score JSON cannot carry (NaN) is null. */
export const ColumnDriftWire = z.object({
  column_name: z.string(),
  column_type: z.enum(['num', 'cat']),
  stattest_name: z.string(),
  stattest_threshold: z.number(),
  drift_score: z.number().nullable(),
  drift_detected: z.boolean(),
})
export type ColumnDriftWire = z.output<typeof ColumnDriftWire>

/** Evidently's DatasetDriftMetric with DataDriftTable per column, as `ballast monitor drift` prints. */
export const DataDriftReportWire = z.object({
  dataset_drift: z.boolean(),
  drift_share: z.number(),
  number_of_columns: z.number().int(),
  number_of_drifted_columns: z.number().int(),
  share_of_drifted_columns: z.number().nullable(),
  drift_by_columns: z.record(z.string(), ColumnDriftWire),
})
export type DataDriftReportWire = z.output<typeof DataDriftReportWire>

const metric = z.number().nullable().optional()
export const MetricValuesWire = z.object({
  accuracy: metric,
  roc_auc: metric,
  f1: metric,
  rmse: metric,
  mae: metric,
})
export type MetricValuesWire = z.output<typeof MetricValuesWire>

export const QualityCheckWire = z.object({
  column: z.string(),
  check: z.enum(['missing_share', 'new_categories', 'out_of_range', 'schema']),
  value: z.number(),
  threshold: z.number(),
  failed: z.boolean(),
  detail: z.string().optional(),
})
export type QualityCheckWire = z.output<typeof QualityCheckWire>

export const PerformanceWire = z.object({
  task: z.enum(['binary', 'multiclass', 'regression']),
  labeled: z.number().int(),
  /** Null with fewer labelled rows than `min_labeled`. */
  realized: MetricValuesWire.nullable(),
  /** Label-free CBPE estimate for classifiers; null for regressors. */
  estimated: MetricValuesWire.nullable(),
  /** The model's own test metrics, what degradation is measured against. */
  reference: MetricValuesWire,
  headline: z.object({ metric: z.enum(['roc_auc', 'accuracy', 'rmse']), maximize: z.boolean() }),
  detector: z
    .object({
      name: MonitorDetectorWire,
      values: z.number().int(),
      warnings: z.array(z.number().int()),
      drifts: z.array(z.number().int()),
    })
    .nullable(),
  degraded: z.boolean(),
  reasons: z.array(z.string()),
})
export type PerformanceWire = z.output<typeof PerformanceWire>

/** Everything one window computed. */
export const MonitorResultWire = z.object({
  monitor: z.string(),
  deployment: z.string(),
  window: z.number().int(),
  /** The window covers predictions made in [start, end). */
  start: z.number().int(),
  end: z.number().int(),
  computed_at: z.number().int(),
  rows: z.number().int(),
  labeled: z.number().int(),
  model_versions: z.array(z.number().int()),
  reference: z
    .object({
      model: z.string(),
      version: z.number().int(),
      dataset: z.string(),
      dataset_version: z.number().int(),
      rows: z.number().int(),
    })
    .nullable(),
  /** Null for an empty window. */
  drift: DataDriftReportWire.nullable(),
  prediction_drift: ColumnDriftWire.nullable(),
  quality: z.object({ checks: z.array(QualityCheckWire), failed: z.number().int() }).nullable(),
  performance: PerformanceWire.nullable(),
  events: z.array(MonitorEventTypeWire),
})
export type MonitorResultWire = z.output<typeof MonitorResultWire>

/** Counts per bin (numerical) or category, for drawing a column's two distributions. */
export const ColumnDistributionWire = z.discriminatedUnion('kind', [
  z.object({
    kind: z.literal('num'),
    edges: z.array(z.number()),
    reference: z.array(z.number()),
    current: z.array(z.number()),
  }),
  z.object({
    kind: z.literal('cat'),
    categories: z.array(z.string()),
    reference: z.array(z.number()),
    current: z.array(z.number()),
  }),
])

export const MonitorEventWire = z.object({
  id: z.number().int(),
  monitor: z.string(),
  deployment: z.string(),
  type: MonitorEventTypeWire,
  window: z.number().int(),
  time: z.number().int(),
  /** What the event is about: drifted columns, failed checks, metrics and reasons. */
  payload: z.record(z.string(), z.unknown()),
})
export type MonitorEventWire = z.output<typeof MonitorEventWire>

export const WebhookWire = z.object({
  id: z.string(),
  monitor: z.string(),
  url: z.string(),
  created_by: z.string(),
  created_at: z.number().int(),
})
export type WebhookWire = z.output<typeof WebhookWire>

export const AddWebhookRequest = z
  .object({
    url: z.string(),
    /** 16–256 characters; generated when absent. */
    secret: z.string().optional(),
  })
  .strict()
export type AddWebhookRequest = z.output<typeof AddWebhookRequest>

export const DeliveryWire = z.object({
  id: z.number().int(),
  event_id: z.number().int(),
  webhook_id: z.string(),
  status: z.enum(['pending', 'delivered', 'failed']),
  attempts: z.number().int(),
  next_attempt_at: z.number().int(),
  last_error: z.string().nullable(),
  last_status: z.number().int().nullable(),
  delivered_at: z.number().int().nullable(),
  created_at: z.number().int(),
})
export type DeliveryWire = z.output<typeof DeliveryWire>

const limit = z.coerce.number().int().min(1).max(1000).optional()

export const MonitorResultsQuery = z.object({
  /** Skip windows up to and including this one. */
  after: z.coerce.number().int().min(0).optional(),
  /** Keep the latest this many (1000 by default). */
  limit,
})
export type MonitorResultsQuery = z.output<typeof MonitorResultsQuery>

export const MonitorEventsQuery = z.object({
  deployment: z.string().optional(),
  type: MonitorEventTypeWire.optional(),
  /** Only events with a larger id: poll with the largest id seen. */
  after_id: z.coerce.number().int().min(0).optional(),
  limit,
})
export type MonitorEventsQuery = z.output<typeof MonitorEventsQuery>

export const LimitQuery = z.object({ limit })

export const EvaluateMonitorRequest = z
  .object({ max_windows: z.number().int().min(1).max(1000).optional() })
  .strict()
export type EvaluateMonitorRequest = z.output<typeof EvaluateMonitorRequest>

export const MonitorResponse = z.object({ monitor: MonitorWire })
export type MonitorResponse = z.output<typeof MonitorResponse>

export const ListMonitorsResponse = z.object({ monitors: z.array(MonitorWire) })
export type ListMonitorsResponse = z.output<typeof ListMonitorsResponse>

export const GetMonitorResponse = z.object({
  monitor: MonitorWire,
  /** The latest window's result; null before the first. */
  latest: MonitorResultWire.nullable(),
  /** Windows whose predictions are all logged and that wait to be evaluated. */
  due: z.number().int(),
})
export type GetMonitorResponse = z.output<typeof GetMonitorResponse>

export const MonitorResultsResponse = z.object({ results: z.array(MonitorResultWire) })
export type MonitorResultsResponse = z.output<typeof MonitorResultsResponse>

export const MonitorWindowResponse = z.object({
  result: MonitorResultWire,
  /** The window's feature drift with each column's distributions; null for an empty window. */
  drift: z
    .object({
      report: DataDriftReportWire,
      distributions: z.record(z.string(), ColumnDistributionWire),
    })
    .nullable(),
})
export type MonitorWindowResponse = z.output<typeof MonitorWindowResponse>

export const MonitorEventsResponse = z.object({ events: z.array(MonitorEventWire) })
export type MonitorEventsResponse = z.output<typeof MonitorEventsResponse>

export const WebhookResponse = z.object({ webhook: WebhookWire })
export type WebhookResponse = z.output<typeof WebhookResponse>

/** The only answer that shows the webhook's secret. */
export const AddWebhookResponse = z.object({ webhook: WebhookWire, secret: z.string() })
export type AddWebhookResponse = z.output<typeof AddWebhookResponse>

export const ListWebhooksResponse = z.object({ webhooks: z.array(WebhookWire) })
export type ListWebhooksResponse = z.output<typeof ListWebhooksResponse>

export const DeliveriesResponse = z.object({ deliveries: z.array(DeliveryWire) })
export type DeliveriesResponse = z.output<typeof DeliveriesResponse>
