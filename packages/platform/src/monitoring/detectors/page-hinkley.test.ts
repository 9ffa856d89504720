import { describe, expect, it } from 'vitest'
import { detect } from './drift-detector.js'
import { PageHinkley } from './page-hinkley.js'
import {
  pythonStreams,
  riverReference,
  type ReferenceCase,
} from './test-support/river-reference.js'

describe('PageHinkley', () => {
  it("reproduces River's documented drift index", () => {
    const { doc } = pythonStreams<{ doc: number[] }>(`
rng = random.Random(12345)
doc = rng.choices([0, 1], k=1000) + rng.choices(range(4, 8), k=1000)
out = {'doc': doc}`)
    expect(detect(new PageHinkley(), doc)).toEqual({ warnings: [], drifts: [1006] })
  })

  it('matches the Python reference index for index in every mode', () => {
    const up = { kind: 'normal', seed: 1, n: 6000, mu0: 0, mu1: 1, at: 3000 } as const
    const down = { kind: 'normal', seed: 2, n: 6000, mu0: 1, mu1: 0, at: 3000 } as const
    const cases: ReferenceCase[] = [
      { detector: 'page-hinkley', stream: up },
      { detector: 'page-hinkley', options: { mode: 'up' }, stream: down },
      { detector: 'page-hinkley', options: { mode: 'down' }, stream: down },
      {
        detector: 'page-hinkley',
        options: { threshold: 20, delta: 0.01, alpha: 0.999, min_instances: 50 },
        stream: { kind: 'normal', seed: 3, n: 8000, mu0: 0, mu1: 2, at: 2000, width: 3000 },
      },
      { detector: 'page-hinkley', stream: { kind: 'normal', seed: 4, n: 10_000, mu0: 0, mu1: 0 } },
    ]
    const reference = riverReference(cases)
    const options = [
      {},
      { mode: 'up' as const },
      { mode: 'down' as const },
      { threshold: 20, delta: 0.01, alpha: 0.999, minInstances: 50 },
      {},
    ]
    // A fall of the mean at 3000 is invisible upwards and found quickly downwards.
    expect(reference[1]!.drifts.filter((i) => i >= 3000 && i < 3200)).toEqual([])
    expect(reference[2]!.drifts.find((i) => i >= 3000)).toBeLessThan(3200)
    reference.forEach((ref, i) => {
      expect(detect(new PageHinkley(options[i]), ref.stream)).toEqual({
        warnings: [],
        drifts: ref.drifts,
      })
    })
  })

  it('rejects an unknown mode', () => {
    expect(() => new PageHinkley({ mode: 'sideways' as unknown as 'up' })).toThrow(
      /PageHinkley option 'mode' must be one of up, down, both/,
    )
  })
})
