import type {
  CreateMonitorRequest,
  DeliveryWire,
  MetricValuesWire,
  MonitorEventWire,
  MonitorResultWire,
  MonitorWindowResponse,
  MonitorWire,
  WebhookWire,
} from '@ballast/contracts'
import { parseTimeParameter } from '@ballast/contracts'
import {
  type CreateMonitorInput,
  type DataDriftResult,
  type MetricValues,
  type Monitor,
  type MonitorEvent,
  type MonitorWebhook,
  type MonitorWindowResult,
  type WebhookDelivery,
  formatEvery,
} from '../../monitoring/index.js'

/** Between the monitors' camelCase domain types and the API's snake_case wire. */

export function monitorToWire(m: Monitor): MonitorWire {
  const o = m.options
  return {
    name: m.name,
    deployment: m.deployment,
    every: formatEvery(m.every),
    reference:
      m.reference.kind === 'training'
        ? 'training'
        : `${m.reference.dataset}@${m.reference.version}`,
    options: {
      stattest: o.stattest ?? null,
      num_stattest: o.numStattest ?? null,
      cat_stattest: o.catStattest ?? null,
      per_column_stattest: o.perColumnStattest ?? null,
      threshold: o.threshold ?? null,
      drift_share: o.driftShare,
      columns: o.columns ?? null,
      detector: o.detector,
      performance_tolerance: o.performanceTolerance,
      min_labeled: o.minLabeled,
      quality: {
        missing_share: o.quality.missingShare,
        new_category_share: o.quality.newCategoryShare,
        out_of_range_share: o.quality.outOfRangeShare,
      },
    },
    cursor: { time: m.cursor.time, request_id: m.cursor.requestId },
    windows: m.windows,
    created_by: m.createdBy,
    created_at: m.createdAt,
    updated_at: m.updatedAt,
  }
}

/** Drops keys whose value is absent, so that the service applies its defaults. */
function defined<T extends Record<string, unknown>>(value: T): Partial<T> {
  return Object.fromEntries(Object.entries(value).filter(([, v]) => v !== undefined)) as Partial<T>
}

export function createMonitorInput(body: CreateMonitorRequest): CreateMonitorInput {
  const o = body.options
  const input: CreateMonitorInput = {
    deployment: body.deployment,
    ...defined({ name: body.name, every: body.every, reference: body.reference }),
  }
  if (o !== undefined) {
    input.options = defined({
      stattest: o.stattest,
      numStattest: o.num_stattest,
      catStattest: o.cat_stattest,
      perColumnStattest: o.per_column_stattest,
      threshold: o.threshold,
      driftShare: o.drift_share,
      columns: o.columns,
      detector: o.detector,
      performanceTolerance: o.performance_tolerance,
      minLabeled: o.min_labeled,
      quality:
        o.quality === undefined
          ? undefined
          : defined({
              missingShare: o.quality.missing_share,
              newCategoryShare: o.quality.new_category_share,
              outOfRangeShare: o.quality.out_of_range_share,
            }),
    })
  }
  if (body.since !== undefined) {
    input.since =
      typeof body.since === 'number' ? body.since : parseTimeParameter(body.since, 'since')
  }
  return input
}

// JSON has no NaN: a metric that could not be computed goes out as null.
const finite = (value: number | undefined) =>
  value === undefined ? undefined : Number.isFinite(value) ? value : null

function metricsToWire(values: MetricValues): MetricValuesWire {
  return defined({
    accuracy: finite(values.accuracy),
    roc_auc: finite(values.roc_auc),
    f1: finite(values.f1),
    rmse: finite(values.rmse),
    mae: finite(values.mae),
  })
}

export function resultToWire(r: MonitorWindowResult): MonitorResultWire {
  const p = r.performance
  return {
    monitor: r.monitor,
    deployment: r.deployment,
    window: r.window,
    start: r.start,
    end: r.end,
    computed_at: r.computedAt,
    rows: r.rows,
    labeled: r.labeled,
    model_versions: r.modelVersions,
    reference:
      r.reference === null
        ? null
        : {
            model: r.reference.model,
            version: r.reference.version,
            dataset: r.reference.dataset,
            dataset_version: r.reference.datasetVersion,
            rows: r.reference.rows,
          },
    drift: r.drift,
    prediction_drift: r.predictionDrift,
    quality: r.quality,
    performance:
      p === null
        ? null
        : {
            task: p.task,
            labeled: p.labeled,
            realized: p.realized === null ? null : metricsToWire(p.realized),
            estimated: p.estimated === null ? null : metricsToWire(p.estimated),
            reference: metricsToWire(p.reference),
            headline: p.headline,
            detector: p.detector,
            degraded: p.degraded,
            reasons: p.reasons,
          },
    events: r.events,
  }
}

export function windowToWire(window: {
  result: MonitorWindowResult
  drift: DataDriftResult | null
}): MonitorWindowResponse {
  return {
    result: resultToWire(window.result),
    drift:
      window.drift === null
        ? null
        : { report: window.drift.report, distributions: window.drift.distributions },
  }
}

export function eventToWire(e: MonitorEvent): MonitorEventWire {
  return {
    id: e.id,
    monitor: e.monitor,
    deployment: e.deployment,
    type: e.type,
    window: e.window,
    time: e.time,
    payload: e.payload,
  }
}

export function webhookToWire(w: MonitorWebhook): WebhookWire {
  return {
    id: w.id,
    monitor: w.monitor,
    url: w.url,
    created_by: w.createdBy,
    created_at: w.createdAt,
  }
}

export function deliveryToWire(d: WebhookDelivery): DeliveryWire {
  return {
    id: d.id,
    event_id: d.eventId,
    webhook_id: d.webhookId,
    status: d.status,
    attempts: d.attempts,
    next_attempt_at: d.nextAttemptAt,
    last_error: d.lastError,
    last_status: d.lastStatus,
    delivered_at: d.deliveredAt,
    created_at: d.createdAt,
  }
}
