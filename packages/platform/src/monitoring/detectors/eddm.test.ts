import { describe, expect, it } from 'vitest'
import { detect } from './drift-detector.js'
import { Eddm } from './eddm.js'
import {
  pythonStreams,
  riverReference,
  type ReferenceCase,
} from './test-support/river-reference.js'

describe('Eddm', () => {
  it("reproduces River's documented warning and drift indices", () => {
    const { doc } = pythonStreams<{ doc: number[] }>(`
rng = random.Random(42)
doc = rng.choices([0, 1], k=1000) + rng.choices([0, 1], k=1000, weights=[0.3, 0.7])
out = {'doc': doc}`)
    const { warnings, drifts } = detect(new Eddm({ alpha: 0.8, beta: 0.75 }), doc)
    expect(warnings[0]).toBe(1059)
    expect(drifts[0]).toBe(1278)
  })

  it('matches the Python reference index for index', () => {
    const cases: ReferenceCase[] = [
      {
        detector: 'eddm',
        stream: { kind: 'binary', seed: 1, n: 6000, p0: 0.1, p1: 0.3, at: 3000 },
      },
      {
        detector: 'eddm',
        stream: { kind: 'binary', seed: 2, n: 8000, p0: 0.05, p1: 0.4, at: 2000, width: 3000 },
      },
      { detector: 'eddm', stream: { kind: 'binary', seed: 3, n: 10_000, p0: 0.1, p1: 0.1 } },
      {
        detector: 'eddm',
        options: { warm_start: 50, alpha: 0.85, beta: 0.7 },
        stream: { kind: 'binary', seed: 4, n: 6000, p0: 0.1, p1: 0.4, at: 3000 },
      },
    ]
    const reference = riverReference(cases)
    const options = [{}, {}, {}, { warmStart: 50, alpha: 0.85, beta: 0.7 }]
    expect(reference[3]!.drifts.length).toBeGreaterThan(0)
    reference.forEach((ref, i) => {
      expect(detect(new Eddm(options[i]), ref.stream)).toEqual({
        warnings: ref.warnings,
        drifts: ref.drifts,
      })
    })
  })

  it('rejects alpha below beta', () => {
    expect(() => new Eddm({ alpha: 0.5, beta: 0.9 })).toThrow(/'alpha' \(0.5\).*'beta' \(0.9\)/)
  })
})
