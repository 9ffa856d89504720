import { describe, expect, it } from 'vitest'
import { Ddm } from './ddm.js'
import { detect } from './drift-detector.js'
import {
  pythonStreams,
  riverReference,
  type ReferenceCase,
} from './test-support/river-reference.js'

describe('Ddm', () => {
  it("reproduces River's documented warning and drift indices", () => {
    const { doc } = pythonStreams<{ doc: number[] }>(`
rng = random.Random(42)
doc = rng.choices([0, 1], k=1000) + rng.choices([0, 1], k=1000, weights=[0.3, 0.7])
out = {'doc': doc}`)
    const { warnings, drifts } = detect(new Ddm(), doc)
    expect(drifts).toEqual([1334])
    expect(warnings[0]).toBe(1084)
    // River's example prints the first warning after the drift.
    expect(warnings.find((i) => i > 1334)).toBe(1492)
  })

  it('matches the Python reference index for index', () => {
    const cases: ReferenceCase[] = [
      { detector: 'ddm', stream: { kind: 'binary', seed: 1, n: 6000, p0: 0.1, p1: 0.3, at: 2000 } },
      {
        detector: 'ddm',
        stream: { kind: 'binary', seed: 2, n: 8000, p0: 0.1, p1: 0.5, at: 2000, width: 3000 },
      },
      { detector: 'ddm', stream: { kind: 'binary', seed: 3, n: 10_000, p0: 0.25, p1: 0.25 } },
      {
        detector: 'ddm',
        options: { warm_start: 100, warning_threshold: 1.5, drift_threshold: 2.5 },
        stream: { kind: 'binary', seed: 4, n: 6000, p0: 0.2, p1: 0.35, at: 3000 },
      },
    ]
    const reference = riverReference(cases)
    const options = [{}, {}, {}, { warmStart: 100, warningThreshold: 1.5, driftThreshold: 2.5 }]
    expect(reference[0]!.drifts.length).toBeGreaterThan(0)
    expect(reference[0]!.warnings.length).toBeGreaterThan(0)
    reference.forEach((ref, i) => {
      expect(detect(new Ddm(options[i]), ref.stream)).toEqual({
        warnings: ref.warnings,
        drifts: ref.drifts,
      })
    })
  })

  it('signals nothing during the warm start, and clears the warning when it drifts', () => {
    const ddm = new Ddm({ warmStart: 30 })
    const seen = detect(
      ddm,
      Array.from({ length: 30 }, (_, i) => (i < 25 ? 0 : 1)),
    )
    expect(seen).toEqual({ warnings: [], drifts: [] })
    const ddm2 = new Ddm()
    const stream = [
      ...Array<number>(200)
        .fill(0)
        .map((_, i) => (i % 10 === 0 ? 1 : 0)),
      ...Array<number>(50).fill(1),
    ]
    const { warnings, drifts } = detect(ddm2, stream)
    expect(drifts.length).toBeGreaterThan(0)
    expect(warnings).not.toContain(drifts[0])
    expect(warnings[0]).toBeLessThan(drifts[0]!)
  })

  it('rejects a negative warm start', () => {
    expect(() => new Ddm({ warmStart: -1 })).toThrow(/DDM option 'warmStart'/)
  })
})
