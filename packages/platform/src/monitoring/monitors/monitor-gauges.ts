import { Gauge, type Registry } from 'prom-client'
import type { MonitorService, MonitorWindowResult } from './monitor-types.js'

type Labels = Record<string, string>
type Set = (gauge: string, labels: Labels, value: number | undefined | null) => void

const GAUGES: Record<string, { help: string; labels: string[] }> = {
  ballast_monitor_windows: {
    help: 'Windows a monitor has evaluated.',
    labels: ['monitor', 'deployment'],
  },
  ballast_monitor_window_end_seconds: {
    help: 'End of the latest evaluated window (Unix seconds).',
    labels: ['monitor', 'deployment'],
  },
  ballast_monitor_drift_share: {
    help: 'Share of drifted columns in the latest window.',
    labels: ['monitor', 'deployment'],
  },
  ballast_monitor_dataset_drift: {
    help: '1 when the latest window drifted as a data set, else 0.',
    labels: ['monitor', 'deployment'],
  },
  ballast_monitor_column_drift_score: {
    help: "A column's drift score in the latest window (the stattest's p-value or distance).",
    labels: ['monitor', 'deployment', 'column', 'stattest'],
  },
  ballast_monitor_prediction_drift_score: {
    help: "The predictions' drift score in the latest window.",
    labels: ['monitor', 'deployment', 'stattest'],
  },
  ballast_monitor_quality_failures: {
    help: 'Failed data-quality checks in the latest window.',
    labels: ['monitor', 'deployment'],
  },
  ballast_monitor_accuracy: {
    help: 'Accuracy in the latest window: realized from labels, or estimated without them.',
    labels: ['monitor', 'deployment', 'kind'],
  },
  ballast_monitor_roc_auc: {
    help: 'ROC AUC in the latest window: realized from labels, or estimated without them.',
    labels: ['monitor', 'deployment', 'kind'],
  },
  ballast_monitor_rmse: {
    help: 'RMSE of the labelled predictions in the latest window.',
    labels: ['monitor', 'deployment'],
  },
  ballast_monitor_mae: {
    help: 'MAE of the labelled predictions in the latest window.',
    labels: ['monitor', 'deployment'],
  },
}

function setLatest(set: Set, r: MonitorWindowResult): void {
  const base = { monitor: r.monitor, deployment: r.deployment }
  set('ballast_monitor_windows', base, r.window)
  set('ballast_monitor_window_end_seconds', base, r.end / 1000)
  if (r.drift !== null) {
    set('ballast_monitor_drift_share', base, r.drift.share_of_drifted_columns)
    set('ballast_monitor_dataset_drift', base, r.drift.dataset_drift ? 1 : 0)
    for (const c of Object.values(r.drift.drift_by_columns)) {
      set(
        'ballast_monitor_column_drift_score',
        { ...base, column: c.column_name, stattest: c.stattest_name },
        c.drift_score,
      )
    }
  }
  if (r.predictionDrift !== null) {
    set(
      'ballast_monitor_prediction_drift_score',
      { ...base, stattest: r.predictionDrift.stattest_name },
      r.predictionDrift.drift_score,
    )
  }
  if (r.quality !== null) set('ballast_monitor_quality_failures', base, r.quality.failed)
  const p = r.performance
  if (p === null) return
  for (const kind of ['realized', 'estimated'] as const) {
    const values = p[kind]
    if (values === null) continue
    set('ballast_monitor_accuracy', { ...base, kind }, values.accuracy)
    set('ballast_monitor_roc_auc', { ...base, kind }, values.roc_auc)
  }
  set('ballast_monitor_rmse', base, p.realized?.rmse)
  set('ballast_monitor_mae', base, p.realized?.mae)
}

/** A scrape reads the store once for all gauges; results this fresh are reused. */
const SNAPSHOT_MS = 1_000

/**
 * Gauges of every monitor's latest window, read from the store when scraped, so that every
 * server of a fleet reports the same figures whichever evaluated the window.
 */
export function registerMonitorGauges(
  registry: Registry,
  monitors: MonitorService,
  now: () => number = Date.now,
): void {
  if (registry.getSingleMetric('ballast_monitor_windows') !== undefined) return
  let snapshot: { at: number; latest: Promise<MonitorWindowResult[]> } | undefined
  const latest = () => {
    if (snapshot === undefined || now() - snapshot.at > SNAPSHOT_MS) {
      const loading = (async () => {
        const out: MonitorWindowResult[] = []
        for (const monitor of await monitors.list()) {
          const [last] = await monitors.results(monitor.name, { limit: 1 })
          if (last !== undefined) out.push(last)
        }
        return out
      })()
      snapshot = { at: now(), latest: loading }
      loading.catch(() => {
        if (snapshot?.latest === loading) snapshot = undefined
      })
    }
    return snapshot.latest
  }
  for (const [name, spec] of Object.entries(GAUGES)) {
    new Gauge({
      name,
      help: spec.help,
      labelNames: spec.labels,
      registers: [registry],
      async collect() {
        this.reset()
        const set: Set = (gauge, labels, value) => {
          if (gauge === name && value !== undefined && value !== null && Number.isFinite(value)) {
            this.set(labels, value)
          }
        }
        for (const result of await latest()) setLatest(set, result)
      },
    })
  }
}
