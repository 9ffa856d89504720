import { Counter, Gauge, Histogram, type Registry } from 'prom-client'
import type { LoadedModel, RecordPrediction } from '../serving-types.js'
import type { ServingStats } from './serving-stats.js'

type ModelLabel = 'deployment' | 'model' | 'version'

/** Seconds; most predictions answer in about a millisecond. */
const LATENCY_BUCKETS = [0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5]

/** Regression values of unknown scale: decades either side of zero. */
const VALUE_BUCKETS = [
  -1e6, -1e5, -1e4, -1e3, -100, -10, -1, -0.1, 0, 0.1, 1, 10, 100, 1e3, 1e4, 1e5, 1e6,
]

/** The metrics of one deployment and model version, bound once so the hot path allocates nothing. */
export interface BoundServingMetrics {
  answered(seconds: number, model: LoadedModel, predictions: readonly RecordPrediction[]): void
  /** `error` tells server errors (counted as errors in the stats) from bad input. */
  failed(seconds: number, error?: unknown): void
}

/** Bad input (4xx) is the caller's error; anything else, timeouts included, is the server's. */
function isServerError(error: unknown): boolean {
  const status = (error as { status?: unknown } | null)?.status
  return typeof status !== 'number' || status >= 500
}

/** Per deployment and model version: requests, errors, latency and what the model predicted. */
export class ServingMetrics {
  private readonly requests: Counter<ModelLabel>
  private readonly errors: Counter<ModelLabel>
  private readonly latency: Histogram<ModelLabel>
  private readonly values: Histogram<ModelLabel>
  private readonly classes: Counter<ModelLabel | 'class'>
  private readonly rejected: Counter<'deployment' | 'reason'>
  private inFlightNow = 0
  private readonly bound = new Map<string, BoundServingMetrics>()

  /** `stats`: the per-version counters written to the store, when the data plane keeps them. */
  constructor(
    registry: Registry,
    private readonly stats?: ServingStats,
  ) {
    const registers = [registry]
    const labelNames: ModelLabel[] = ['deployment', 'model', 'version']
    this.requests = new Counter({
      name: 'ballast_serving_requests_total',
      help: 'Prediction requests answered or failed, by deployment and model version.',
      labelNames,
      registers,
    })
    this.errors = new Counter({
      name: 'ballast_serving_errors_total',
      help: 'Prediction requests that failed (bad input, timeout, model error).',
      labelNames,
      registers,
    })
    this.latency = new Histogram({
      name: 'ballast_serving_latency_seconds',
      help: 'Time to answer a prediction request, model run included.',
      labelNames,
      buckets: LATENCY_BUCKETS,
      registers,
    })
    this.values = new Histogram({
      name: 'ballast_serving_prediction_value',
      help: 'Values predicted by regression models.',
      labelNames,
      buckets: VALUE_BUCKETS,
      registers,
    })
    this.classes = new Counter({
      name: 'ballast_serving_predicted_class_total',
      help: 'Records predicted per class by classification models.',
      labelNames: [...labelNames, 'class'],
      registers,
    })
    this.rejected = new Counter({
      name: 'ballast_serving_rejected_total',
      help: 'Prediction requests refused before reaching a model (overload, not ready).',
      labelNames: ['deployment', 'reason'],
      registers,
    })
    const inFlightNow = () => this.inFlightNow
    // Read at scrape time: setting the gauge (label hashing) twice per request is hot-path work.
    new Gauge({
      name: 'ballast_serving_in_flight',
      help: 'Prediction requests running now.',
      registers,
      collect() {
        this.set(inFlightNow())
      },
    })
  }

  forModel(deployment: string, model: LoadedModel): BoundServingMetrics {
    const key = `${deployment}\u0000${model.name}\u0000${model.version}`
    let bound = this.bound.get(key)
    if (bound !== undefined) return bound
    const labels = { deployment, model: model.name, version: String(model.version) }
    const requests = this.requests.labels(labels)
    const errors = this.errors.labels(labels)
    const latency = this.latency.labels(labels)
    const values = this.values.labels(labels)
    const classes = this.classes
    const stats = this.stats
    const slot = stats?.slot(deployment, model.name, model.version) ?? 0
    bound = {
      answered(seconds, loaded, predictions) {
        requests.inc()
        latency.observe(seconds)
        stats?.answered(slot, seconds * 1000, predictions.length)
        for (const p of predictions) {
          if (loaded.classes !== null) classes.inc({ ...labels, class: String(p.prediction) })
          else if (typeof p.prediction === 'number') values.observe(p.prediction)
        }
      },
      failed(seconds, error) {
        requests.inc()
        errors.inc()
        latency.observe(seconds)
        stats?.failed(slot, seconds * 1000, isServerError(error))
      },
    }
    this.bound.set(key, bound)
    return bound
  }

  rejectedRequest(deployment: string, reason: 'overloaded' | 'not_ready'): void {
    this.rejected.inc({ deployment, reason })
  }

  setInFlight(n: number): void {
    this.inFlightNow = n
  }
}
