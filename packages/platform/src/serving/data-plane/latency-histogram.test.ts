import { execFileSync } from 'node:child_process'
import { describe, expect, it } from 'vitest'
import {
  LATENCY_BOUNDS_MS,
  LATENCY_BUCKETS,
  latencyBucket,
  latencyQuantile,
} from './latency-histogram.js'

/** numpy's piecewise-linear interpolation of the cumulative counts: an independent reckoning. */
function numpyQuantiles(counts: readonly number[], qs: readonly number[]): number[] {
  const script = `
import json, sys, numpy as np
counts, bounds, qs = json.loads(sys.stdin.read())
cum = np.concatenate([[0], np.cumsum(counts[:len(bounds)])])
edges = np.concatenate([[0], bounds])
total = sum(counts)
print(json.dumps([float(np.interp(q * total, cum, edges)) for q in qs]))
`
  const out = execFileSync('python3', ['-c', script], {
    input: JSON.stringify([counts, LATENCY_BOUNDS_MS, qs]),
  })
  return JSON.parse(out.toString()) as number[]
}

describe('latency buckets', () => {
  it('puts a latency in the first bucket whose bound it does not exceed', () => {
    expect(LATENCY_BUCKETS).toBe(14)
    expect([0, 1, 1.01, 2.5, 9.99, 10_000, 10_000.1, 1e9].map(latencyBucket)).toEqual([
      0, 0, 1, 1, 3, 12, 13, 13,
    ])
  })
})

describe('latency quantiles from the histogram', () => {
  it('match numpy interpolating the cumulative counts', () => {
    const counts = [120, 340, 800, 410, 150, 60, 25, 9, 4, 2, 1, 1, 1, 0]
    const qs = [0.01, 0.25, 0.5, 0.9, 0.95, 0.99, 0.999]
    const expected = numpyQuantiles(counts, qs)
    const got = qs.map((q) => latencyQuantile(counts, q)!)
    got.forEach((g, i) => expect(g).toBeCloseTo(expected[i]!, 9))
    // By hand: the median's rank 961.5 lies 501.5 into the 2.5–5 ms bucket of 800.
    expect(latencyQuantile(counts, 0.5)).toBeCloseTo(2.5 + (2.5 * 501.5) / 800, 12)
  })

  it('estimates the quantiles of real latencies within their bucket', () => {
    let seed = 42
    const random = () => ((seed = (seed * 16807) % 2147483647) - 1) / 2147483646
    const samples = Array.from({ length: 20_000 }, () => Math.exp(0.2 + 0.9 * random() * 3))
    const counts = new Array<number>(LATENCY_BUCKETS).fill(0)
    for (const s of samples) counts[latencyBucket(s)]! += 1
    const sorted = [...samples].sort((a, b) => a - b)
    for (const q of [0.5, 0.95, 0.99]) {
      const exact = sorted[Math.ceil(q * sorted.length) - 1]!
      const estimate = latencyQuantile(counts, q)!
      // Same bucket: the estimate is exact up to the bucket's width.
      expect(latencyBucket(estimate)).toBe(latencyBucket(exact))
    }
  })

  it('is null without requests, and the last bound for latencies above it', () => {
    expect(latencyQuantile(new Array(LATENCY_BUCKETS).fill(0), 0.99)).toBeNull()
    const slow = new Array<number>(LATENCY_BUCKETS).fill(0)
    slow[13] = 5
    expect(latencyQuantile(slow, 0.5)).toBe(10_000)
  })
})
