import { describe, expect, it } from 'vitest'
import { detect } from './drift-detector.js'
import { Kswin } from './kswin.js'
import {
  pythonStreams,
  riverReference,
  type ReferenceCase,
} from './test-support/river-reference.js'

describe('Kswin', () => {
  it("reproduces River's documented drift index for a seeded detector", () => {
    const { doc } = pythonStreams<{ doc: number[] }>(`
rng = random.Random(12345)
doc = rng.choices([0, 1], k=1000) + rng.choices(range(4, 8), k=1000)
out = {'doc': doc}`)
    expect(detect(new Kswin({ alpha: 0.0001, seed: 42 }), doc)).toEqual({
      warnings: [],
      drifts: [1016],
    })
  })

  it('matches the Python reference (random.Random + scipy ks_2samp) index for index', () => {
    const cases: ReferenceCase[] = [
      {
        detector: 'kswin',
        options: { seed: 7 },
        stream: { kind: 'normal', seed: 1, n: 3000, mu0: 0, mu1: 1.5, at: 1500 },
      },
      {
        detector: 'kswin',
        options: { seed: 8, alpha: 0.01, window_size: 200, stat_size: 50 },
        stream: { kind: 'normal', seed: 2, n: 4000, mu0: 0, mu1: 2, at: 1000, width: 1500 },
      },
      {
        detector: 'kswin',
        options: { seed: 9 },
        stream: { kind: 'binary', seed: 3, n: 3000, p0: 0.1, p1: 0.8, at: 1500 },
      },
      {
        detector: 'kswin',
        options: { seed: 10 },
        stream: { kind: 'normal', seed: 4, n: 5000, mu0: 0, mu1: 0 },
      },
    ]
    const reference = riverReference(cases)
    const options = [
      { seed: 7 },
      { seed: 8, alpha: 0.01, windowSize: 200, statSize: 50 },
      { seed: 9 },
      { seed: 10 },
    ]
    expect(reference[0]!.drifts.length).toBeGreaterThan(0)
    reference.forEach((ref, i) => {
      expect(detect(new Kswin(options[i]), ref.stream)).toEqual({
        warnings: [],
        drifts: ref.drifts,
      })
    })
  })

  it('without a seed still finds an abrupt shift soon after it happens', () => {
    const [ref] = riverReference([
      { detector: 'kswin', stream: { kind: 'normal', seed: 5, n: 2000, mu0: 0, mu1: 3, at: 1000 } },
    ])
    const drifts = detect(new Kswin(), ref!.stream).drifts
    const first = drifts.find((i) => i >= 1000)
    expect(first).toBeDefined()
    expect(first!).toBeLessThan(1030)
  })

  it('tests nothing until the window is full, and keeps the last values of a pre-filled window', () => {
    const kswin = new Kswin({ seed: 1 })
    for (let i = 0; i < 99; i++) kswin.update(i % 2)
    expect(kswin.pValue).toBe(0)
    kswin.update(0)
    expect(kswin.pValue).toBeGreaterThan(0)
    const warm = new Kswin({ seed: 1, window: Array.from({ length: 150 }, (_, i) => i % 2) })
    warm.update(0)
    expect(warm.pValue).toBe(kswin.pValue)
  })

  it('rejects a statistic window as long as the sliding window', () => {
    expect(() => new Kswin({ windowSize: 30, statSize: 30 })).toThrow(
      /KSWIN option 'statSize' \(30\) must be smaller than 'windowSize' \(30\)/,
    )
  })
})
