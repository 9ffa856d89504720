import { describe, expect, it } from 'vitest'
import { Adwin } from './adwin.js'
import { detect } from './drift-detector.js'
import {
  pythonStreams,
  riverReference,
  type ReferenceCase,
} from './test-support/river-reference.js'

describe('Adwin', () => {
  it("reproduces the drift indices of River's documentation and regression suite", () => {
    const s = pythonStreams<{ doc: number[]; legacy: number[]; multi: number[] }>(`
rng = random.Random(12345)
doc = rng.choices([0, 1], k=1000) + rng.choices(range(4, 8), k=1000)
np.random.seed(12345)
legacy = np.concatenate((np.random.randint(2, size=1000), np.random.randint(8, size=1000))).tolist()
rng = random.Random(42)
multi = rng.choices([0, 1], k=1000) + rng.choices(range(4, 8), k=1000) + rng.choices([0, 1], k=1000) + rng.choices(range(4, 8), k=1000)
out = {'doc': doc, 'legacy': legacy, 'multi': multi}`)
    expect(detect(new Adwin(), s.doc)).toEqual({ warnings: [], drifts: [1023] })
    expect(detect(new Adwin(), s.legacy).drifts).toEqual([1023])
    expect(detect(new Adwin(), s.multi).drifts).toEqual([1023, 2015, 3007])
  })

  it('matches the Python reference index for index on abrupt, gradual and stationary streams', () => {
    const cases: ReferenceCase[] = [
      { detector: 'adwin', stream: { kind: 'normal', seed: 1, n: 6000, mu0: 0, mu1: 1, at: 3000 } },
      { detector: 'adwin', stream: { kind: 'binary', seed: 2, n: 6000, p0: 0.2, p1: 0.45 } },
      {
        detector: 'adwin',
        stream: { kind: 'normal', seed: 3, n: 8000, mu0: 0, mu1: 2, at: 2000, width: 3000 },
      },
      { detector: 'adwin', stream: { kind: 'normal', seed: 4, n: 10_000, mu0: 0, mu1: 0 } },
      {
        detector: 'adwin',
        options: { delta: 0.05, clock: 1, max_buckets: 3, min_window_length: 10, grace_period: 50 },
        stream: { kind: 'normal', seed: 5, n: 5000, mu0: 0, mu1: 0.5, at: 1000, width: 2000 },
      },
    ]
    const reference = riverReference(cases)
    const options = [
      {},
      {},
      {},
      {},
      { delta: 0.05, clock: 1, maxBuckets: 3, minWindowLength: 10, gracePeriod: 50 },
    ]
    const drifting = reference.filter((r) => r.drifts.length > 0).length
    expect(drifting).toBeGreaterThanOrEqual(4)
    reference.forEach((ref, i) => {
      expect(detect(new Adwin(options[i]), ref.stream)).toEqual({
        warnings: [],
        drifts: ref.drifts,
      })
    })
  })

  it('signals no drift on stationary streams of 10,000 values at the defaults', () => {
    const seeds = [11, 12, 13, 14, 15]
    const reference = riverReference(
      seeds.map((seed) => ({
        detector: 'adwin' as const,
        stream: { kind: 'binary' as const, seed, n: 10_000, p0: 0.3, p1: 0.3 },
      })),
    )
    for (const ref of reference) expect(detect(new Adwin(), ref.stream).drifts).toEqual([])
  })

  it('detects an abrupt shift of one standard deviation within 100 values', () => {
    const [ref] = riverReference([
      {
        detector: 'adwin',
        stream: { kind: 'normal', seed: 21, n: 4000, mu0: 0, mu1: 1, at: 2000 },
      },
    ])
    const first = detect(new Adwin(), ref!.stream).drifts[0]!
    expect(first).toBeGreaterThanOrEqual(2000)
    expect(first).toBeLessThan(2100)
  })

  it('keeps the window total and sum of squared deviations of the values seen', () => {
    const adwin = new Adwin({ clock: 1_000_000 })
    const values = Array.from({ length: 200 }, (_, i) => i % 7)
    for (const v of values) adwin.update(v)
    const mean = values.reduce((a, b) => a + b, 0) / values.length
    expect(adwin.width).toBe(200)
    // 28 full cycles of 0..6 (sum 21 each) and then 0, 1, 2, 3
    expect(adwin.total).toBe(594)
    expect(adwin.estimation).toBe(2.97)
    expect(adwin.variance).toBeCloseTo(
      values.reduce((a, v) => a + (v - mean) ** 2, 0),
      9,
    )
  })

  it('starts a fresh window on the value after a drift', () => {
    const adwin = new Adwin({ clock: 1 })
    for (let i = 0; i < 500; i++) adwin.update(0)
    let i = 0
    while (!adwin.driftDetected && i++ < 500) adwin.update(100)
    expect(adwin.driftDetected).toBe(true)
    expect(adwin.nDetections).toBe(1)
    adwin.update(50)
    expect(adwin.width).toBe(1)
    expect(adwin.driftDetected).toBe(false)
  })

  it('rejects options outside their domain, naming the option', () => {
    expect(() => new Adwin({ delta: 1 })).toThrow(/ADWIN option 'delta'/)
    expect(() => new Adwin({ clock: 0 })).toThrow(/'clock'/)
    expect(() => new Adwin({ maxBuckets: 2.5 })).toThrow(/'maxBuckets'/)
  })
})
