import { LATENCY_BUCKETS, latencyBucket } from './latency-histogram.js'

/** What one (deployment, model version) did between two takes. */
export interface ServingStatsDelta {
  deployment: string
  model: string
  version: number
  requests: number
  /** Server errors and timeouts; input errors (4xx) are requests, not errors. */
  errors: number
  predictions: number
  /** Counts per bucket of LATENCY_BOUNDS_MS. */
  latency: number[]
}

const REQUESTS = 0
const ERRORS = 1
const PREDICTIONS = 2
const COUNTERS = 3

/**
 * Counters per (deployment, model version) since the last `take()`. Each pair gets a slot once
 * (when the serving metrics bind it); after that the hot path only increments typed arrays.
 */
export class ServingStats {
  private readonly keys: { deployment: string; model: string; version: number }[] = []
  private readonly index = new Map<string, number>()
  private counters = new Float64Array(16 * COUNTERS)
  private latency = new Float64Array(16 * LATENCY_BUCKETS)

  /** The slot of a pair, made on first use. */
  slot(deployment: string, model: string, version: number): number {
    const key = `${deployment}\u0000${model}\u0000${version}`
    let slot = this.index.get(key)
    if (slot !== undefined) return slot
    slot = this.keys.length
    this.keys.push({ deployment, model, version })
    this.index.set(key, slot)
    if ((slot + 1) * COUNTERS > this.counters.length) {
      const counters = new Float64Array(this.counters.length * 2)
      counters.set(this.counters)
      this.counters = counters
      const latency = new Float64Array(this.latency.length * 2)
      latency.set(this.latency)
      this.latency = latency
    }
    return slot
  }

  answered(slot: number, ms: number, predictions: number): void {
    const c = slot * COUNTERS
    this.counters[c + REQUESTS]! += 1
    this.counters[c + PREDICTIONS]! += predictions
    this.latency[slot * LATENCY_BUCKETS + latencyBucket(ms)]! += 1
  }

  /** A failed request; `serverError` false for bad input, which is the caller's fault. */
  failed(slot: number, ms: number, serverError: boolean): void {
    const c = slot * COUNTERS
    this.counters[c + REQUESTS]! += 1
    if (serverError) this.counters[c + ERRORS]! += 1
    this.latency[slot * LATENCY_BUCKETS + latencyBucket(ms)]! += 1
  }

  /** The pairs that saw requests since the last take, and zeroes their counters. */
  take(): ServingStatsDelta[] {
    const out: ServingStatsDelta[] = []
    for (let slot = 0; slot < this.keys.length; slot++) {
      const c = slot * COUNTERS
      const requests = this.counters[c + REQUESTS]!
      if (requests === 0) continue
      const h = slot * LATENCY_BUCKETS
      out.push({
        ...this.keys[slot]!,
        requests,
        errors: this.counters[c + ERRORS]!,
        predictions: this.counters[c + PREDICTIONS]!,
        latency: Array.from(this.latency.subarray(h, h + LATENCY_BUCKETS)),
      })
      this.counters.fill(0, c, c + COUNTERS)
      this.latency.fill(0, h, h + LATENCY_BUCKETS)
    }
    return out
  }
}
