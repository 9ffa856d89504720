import type { ColumnDriftResult, DataDriftReport, DataDriftResult } from '../drift/data-drift.js'

/**
 * The shapes monitors on deployments share: their definition, what one window computes, and the
 * events it raises. Each part (window reading, quality, performance, alerts) implements its side.
 */

export const MONITOR_EVENT_TYPES = [
  'drift_detected',
  'data_quality_failed',
  'performance_degraded',
] as const
export type MonitorEventType = (typeof MONITOR_EVENT_TYPES)[number]

/** Detectors a monitor may run on its deployment's error stream (River's names, lower-case). */
export const MONITOR_DETECTORS = ['adwin', 'ddm', 'eddm', 'page-hinkley', 'kswin'] as const
export type MonitorDetectorName = (typeof MONITOR_DETECTORS)[number]

/** How a monitor cuts the prediction log into windows. */
export type MonitorEvery = { kind: 'predictions'; count: number } | { kind: 'time'; ms: number }

/** What current windows are compared with. */
export type MonitorReference =
  { kind: 'training' } | { kind: 'dataset'; dataset: string; version: number }

/** Thresholds of the data-quality checks (shares are fractions of the window's rows). */
export interface QualityThresholds {
  /** A column fails when its missing share exceeds the reference's by more than this (0.05). */
  missingShare: number
  /** A categorical column fails when more than this share holds categories never seen (0.01). */
  newCategoryShare: number
  /** A numerical column fails when more than this share lies outside the reference's range (0.05). */
  outOfRangeShare: number
}

export interface MonitorOptions {
  /** Drift tests, as `ballast monitor drift` takes them. */
  stattest?: string
  numStattest?: string
  catStattest?: string
  perColumnStattest?: Record<string, string>
  threshold?: number
  /** Data set drift when at least this share of columns drift (0.5). */
  driftShare: number
  /** Features to watch; default every input of the model. */
  columns?: string[]
  /** Detector on the error stream (0/1 errors of a classifier, absolute errors of a regressor). */
  detector: MonitorDetectorName
  /**
   * performance_degraded when the headline metric (ROC AUC of a binary classifier, accuracy of a
   * multiclass one, RMSE of a regressor as a relative increase) is worse than the model's own
   * test metric by more than this (0.05).
   */
  performanceTolerance: number
  /** Realized metrics and their alert need at least this many labelled rows in the window (100). */
  minLabeled: number
  quality: QualityThresholds
}

export const DEFAULT_QUALITY_THRESHOLDS: QualityThresholds = {
  missingShare: 0.05,
  newCategoryShare: 0.01,
  outOfRangeShare: 0.05,
}

export interface Monitor {
  name: string
  deployment: string
  every: MonitorEvery
  reference: MonitorReference
  options: MonitorOptions
  /** Where the next window starts (epoch ms; for prediction windows the last request id taken). */
  cursor: { time: number; requestId: string | null }
  /** Windows evaluated so far. */
  windows: number
  createdBy: string
  createdAt: number
  updatedAt: number
}

/** One data-quality check of one column against the reference. */
export interface QualityCheck {
  column: string
  check: 'missing_share' | 'new_categories' | 'out_of_range' | 'schema'
  /** The measured value: a share of the window's rows (or, for schema, a count of rows). */
  value: number
  /** The largest value that passes. */
  threshold: number
  failed: boolean
  /** Words a person reads: the expected type, a few new categories, the reference's range. */
  detail?: string
}

export interface QualityResult {
  checks: QualityCheck[]
  failed: number
}

/** Metrics by name: accuracy, roc_auc, f1 (classifiers), rmse, mae (regressors). */
export type MetricValues = Partial<Record<'accuracy' | 'roc_auc' | 'f1' | 'rmse' | 'mae', number>>

export interface PerformanceResult {
  task: 'binary' | 'multiclass' | 'regression'
  /** Rows of the window with a label. */
  labeled: number
  /** From the labelled rows; null with fewer than `minLabeled`. */
  realized: MetricValues | null
  /** Label-free (CBPE) estimate for classifiers; null for regressors. */
  estimated: MetricValues | null
  /** The model's own test metrics from its lineage (`test_*`), what degradation is measured against. */
  reference: MetricValues
  /** The metric the alert watches, and whether it is better when larger. */
  headline: { metric: 'roc_auc' | 'accuracy' | 'rmse'; maximize: boolean }
  detector: {
    name: MonitorDetectorName
    /** Values fed in this window, and where (0-based within them) it warned and drifted. */
    values: number
    warnings: number[]
    drifts: number[]
  } | null
  degraded: boolean
  /** Why it is degraded, in words (empty when it is not). */
  reasons: string[]
}

/** Everything one window computed. */
export interface MonitorWindowResult {
  monitor: string
  deployment: string
  window: number
  /** Epoch ms: the window covers predictions made in [start, end). */
  start: number
  end: number
  computedAt: number
  rows: number
  labeled: number
  /** Model versions that answered in the window (primary and canary), ascending. */
  modelVersions: number[]
  /** The reference the window was compared with. */
  reference: {
    model: string
    version: number
    dataset: string
    datasetVersion: number
    rows: number
  } | null
  /** Null for an empty window. */
  drift: DataDriftReport | null
  predictionDrift: ColumnDriftResult | null
  quality: QualityResult | null
  performance: PerformanceResult | null
  events: MonitorEventType[]
}

export interface MonitorEvent {
  id: number
  monitor: string
  deployment: string
  type: MonitorEventType
  window: number
  time: number
  /** What the event is about: drifted columns, failed checks, metrics and reasons. */
  payload: Record<string, unknown>
}

export interface MonitorWebhook {
  id: string
  monitor: string
  url: string
  createdBy: string
  createdAt: number
}

/** A webhook delivery as the outbox holds it. */
export interface WebhookDelivery {
  id: number
  eventId: number
  webhookId: string
  status: 'pending' | 'delivered' | 'failed'
  attempts: number
  nextAttemptAt: number
  lastError: string | null
  lastStatus: number | null
  deliveredAt: number | null
  createdAt: number
}

export interface CreateMonitorInput {
  /** Default: the deployment's name. */
  name?: string
  deployment: string
  /** `1000 predictions` (or just `1000`), or a duration: `30s`, `15m`, `1h`, `1d`. Default 1000 predictions. */
  every?: string
  /** `training` (default) or `DATASET@VERSION`. */
  reference?: string
  options?: Partial<Omit<MonitorOptions, 'quality'>> & { quality?: Partial<QualityThresholds> }
  /** Epoch ms where the first window starts; default now (only predictions made from now on). */
  since?: number
}

export interface EvaluateOptions {
  /** At most this many due windows (default 100). */
  maxWindows?: number
  signal?: AbortSignal
  onProgress?: (done: number, total: number, message: string) => void
}

/** The monitors' control plane and their results. Changes name the actor who made them. */
export interface MonitorService {
  create(input: CreateMonitorInput, actor: string): Promise<Monitor>
  list(): Promise<Monitor[]>
  get(name: string): Promise<Monitor>
  /**
   * Deletes the monitor with its results, webhooks and their deliveries. Its events stay: they are
   * what happened, and triggers follow event ids, which must never be handed out twice.
   */
  delete(name: string, actor: string): Promise<Monitor>
  /** Ascending by window; `after` skips windows up to and including it; `limit` keeps the latest. */
  results(
    name: string,
    options?: { after?: number; limit?: number },
  ): Promise<MonitorWindowResult[]>
  /** Newest first, or oldest first with `oldestFirst` (to read on from a cursor). */
  events(filter?: {
    monitor?: string
    deployment?: string
    type?: MonitorEventType
    afterId?: number
    beforeId?: number
    oldestFirst?: boolean
    limit?: number
  }): Promise<MonitorEvent[]>
  /**
   * One window's result with its feature drift and the per-column distributions to draw (the
   * latest window when `window` is absent); NotFoundError when there is no such window.
   */
  window(
    name: string,
    window?: number,
  ): Promise<{ result: MonitorWindowResult; drift: DataDriftResult | null }>
  /** Windows that are due now (their data is in the prediction log). */
  dueWindows(name: string, now?: number): Promise<number>
  /** Evaluates the monitor's due windows in order, each recorded before the next starts. */
  evaluate(name: string, options?: EvaluateOptions): Promise<MonitorWindowResult[]>
  readonly webhooks: {
    /** Checks the URL; generates a secret when none is given and returns it (shown once). */
    add(
      monitor: string,
      input: { url: string; secret?: string },
      actor: string,
    ): Promise<{ webhook: MonitorWebhook; secret: string }>
    list(monitor: string): Promise<MonitorWebhook[]>
    /** `actor` is who the audit log records; unattributed when absent. */
    remove(monitor: string, id: string, actor?: string): Promise<MonitorWebhook>
    deliveries(monitor: string, options?: { limit?: number }): Promise<WebhookDelivery[]>
  }
}
