import { isAppError } from '@ballast/contracts'
import { describe, expect, it } from 'vitest'
import { Adwin } from './adwin.js'
import { Ddm } from './ddm.js'
import { createDetector, restoreDetector } from './detector-state.js'
import { type Detections, type DriftDetector, detect } from './drift-detector.js'
import { Eddm } from './eddm.js'
import { Kswin } from './kswin.js'
import { PageHinkley } from './page-hinkley.js'
import { pythonStreams, riverReference } from './test-support/river-reference.js'

/** What a stored state goes through between two windows. */
const viaJson = (d: DriftDetector): unknown => JSON.parse(JSON.stringify(d.toState()))

/**
 * Feeds `stream` in pieces ending at each of `cuts`, storing the detector as JSON and restoring
 * it between pieces; returns the detections (indices into the whole stream) and the last state.
 */
function resumed(make: () => DriftDetector, stream: readonly number[], cuts: readonly number[]) {
  const out: Detections = { warnings: [], drifts: [] }
  let detector = make()
  let from = 0
  for (const to of [...cuts, stream.length]) {
    const found = detect(detector, stream.slice(from, to))
    out.warnings.push(...found.warnings.map((i) => i + from))
    out.drifts.push(...found.drifts.map((i) => i + from))
    const stored = viaJson(detector)
    detector = restoreDetector(stored)
    expect(detector.toState()).toEqual(stored)
    from = to
  }
  return { detections: out, state: detector.toState() }
}

/** Snapshot points: the start, early, mid-stream, and right after (and one after) each drift. */
function snapshotPoints(n: number, drifts: readonly number[]): number[] {
  const points = [0, 1, 17, Math.floor(n / 3), n - 1, n]
  for (const d of drifts.slice(0, 3)) points.push(d + 1, d + 2)
  return [...new Set(points)].filter((k) => k <= n).sort((a, b) => a - b)
}

const streams = pythonStreams<{ multi: number[] }>(`
rng = random.Random(42)
multi = rng.choices([0, 1], k=1000) + rng.choices(range(4, 8), k=1000) + rng.choices([0, 1], k=1000) + rng.choices(range(4, 8), k=1000)
out = {'multi': multi}`)

const [normalUp, binaryUp, binaryGradual, normalDown, kswinStream] = riverReference([
  {
    detector: 'page-hinkley',
    stream: { kind: 'normal', seed: 1, n: 6000, mu0: 0, mu1: 1, at: 3000 },
  },
  { detector: 'ddm', stream: { kind: 'binary', seed: 1, n: 6000, p0: 0.1, p1: 0.3, at: 2000 } },
  {
    detector: 'eddm',
    options: { warm_start: 50, alpha: 0.85, beta: 0.7 },
    stream: { kind: 'binary', seed: 4, n: 6000, p0: 0.1, p1: 0.4, at: 3000 },
  },
  {
    detector: 'page-hinkley',
    options: { mode: 'down' },
    stream: { kind: 'normal', seed: 2, n: 6000, mu0: 1, mu1: 0, at: 3000 },
  },
  {
    detector: 'kswin',
    options: { seed: 7 },
    stream: { kind: 'normal', seed: 1, n: 3000, mu0: 0, mu1: 1.5, at: 1500 },
  },
])

const CASES: { label: string; make: () => DriftDetector; stream: number[] }[] = [
  { label: 'ADWIN (three drifts)', make: () => new Adwin(), stream: streams.multi },
  {
    label: 'ADWIN (clock 1, small rows)',
    make: () => new Adwin({ clock: 1, maxBuckets: 3, delta: 0.05 }),
    stream: normalUp!.stream,
  },
  { label: 'DDM', make: () => new Ddm(), stream: binaryUp!.stream },
  {
    label: 'EDDM',
    make: () => new Eddm({ warmStart: 50, alpha: 0.85, beta: 0.7 }),
    stream: binaryGradual!.stream,
  },
  { label: 'Page-Hinkley', make: () => new PageHinkley(), stream: normalUp!.stream },
  {
    label: 'Page-Hinkley (down)',
    make: () => new PageHinkley({ mode: 'down' }),
    stream: normalDown!.stream,
  },
  { label: 'KSWIN (seeded)', make: () => new Kswin({ seed: 7 }), stream: kswinStream!.stream },
]

describe('restoreDetector', () => {
  it.each(CASES)('$label: a restored state continues as the uninterrupted run', (c) => {
    const whole = c.make()
    const expected = detect(whole, c.stream)
    expect(expected.drifts.length).toBeGreaterThan(0)
    for (const k of snapshotPoints(c.stream.length, expected.drifts)) {
      const { detections, state } = resumed(c.make, c.stream, [k])
      expect(detections, `snapshot after ${k} values`).toEqual(expected)
      expect(state).toEqual(whole.toState())
    }
    // Many short windows, each in its own restore.
    const cuts = Array.from({ length: Math.floor(c.stream.length / 137) }, (_, i) => (i + 1) * 137)
    expect(resumed(c.make, c.stream, cuts).detections).toEqual(expected)
  })

  it('keeps the drift and warning indices the detectors are tested for against River', () => {
    expect(resumed(() => new Adwin(), streams.multi, [1024, 2500]).detections.drifts).toEqual([
      1023, 2015, 3007,
    ])
    expect(resumed(() => new Ddm(), binaryUp!.stream, [1500, 4000]).detections).toEqual({
      warnings: binaryUp!.warnings,
      drifts: binaryUp!.drifts,
    })
    expect(resumed(() => new Kswin({ seed: 7 }), kswinStream!.stream, [1600]).detections).toEqual({
      warnings: [],
      drifts: kswinStream!.drifts,
    })
  })

  it("carries an unseeded KSWIN's random generator, so its tests continue unchanged", () => {
    const stream = normalUp!.stream.slice(0, 1200)
    // A tiny alpha: no drift, hence no reseeding from fresh randomness.
    const original = new Kswin({ alpha: 1e-12 })
    for (const x of stream.slice(0, 500)) original.update(x)
    const restored = restoreDetector(viaJson(original)) as Kswin
    for (const x of stream.slice(500)) {
      original.update(x)
      restored.update(x)
      expect(restored.pValue).toBe(original.pValue)
    }
    expect(original.driftDetected).toBe(false)
    expect(restored.toState()).toEqual(original.toState())
  })

  it('stores NaN, ±Infinity and −0 as strings that survive JSON', () => {
    const fresh = new Ddm().toState()
    expect([fresh.pMin, fresh.sMin, fresh.psMin]).toEqual(['Infinity', 'Infinity', 'Infinity'])
    expect(new PageHinkley().toState().minIncrease).toBe('Infinity')
    const back = restoreDetector(JSON.parse(JSON.stringify({ ...fresh, mean: '-0' }))) as Ddm
    expect(Object.is(back.errorRate, -0)).toBe(true)
    const nan = restoreDetector({ ...fresh, mean: 'NaN' }) as Ddm
    expect(nan.errorRate).toBeNaN()
    expect(nan.toState().mean).toBe('NaN')
    const kswin = new Kswin({ seed: 1 }).update(Number.NEGATIVE_INFINITY)
    expect(kswin.toState().window).toEqual(['-Infinity'])
  })

  it('rejects a malformed state with an error naming the field', () => {
    const message = (state: unknown): string => {
      try {
        restoreDetector(state)
      } catch (e) {
        expect(isAppError(e) && e.code).toBe('INVALID_PARAMETER_VALUE')
        return (e as Error).message
      }
      return 'no error'
    }
    const ddm = new Ddm().toState()
    const adwin = new Adwin()
    for (let i = 0; i < 40; i++) adwin.update(i % 3)
    const adwinState = adwin.toState()
    const kswin = new Kswin({ seed: 3 }).toState()
    expect(message(null)).toBe('detector state must be an object, got null')
    expect(message({ name: 'cusum' })).toBe(
      `detector state field 'name' must be one of adwin, ddm, eddm, page-hinkley, kswin, got "cusum"`,
    )
    expect(message({ ...ddm, version: 2 })).toBe(`detector state field 'version' must be 1, got 2`)
    expect(message({ ...ddm, options: undefined })).toBe(
      `detector state field 'options' must be an object, got nothing`,
    )
    expect(message({ ...ddm, mean: 'nan' })).toBe(
      `detector state field 'mean' must be a number, got "nan"`,
    )
    expect(message({ ...ddm, n: -1 })).toBe(
      `detector state field 'n' must be an integer in [0, ${Number.MAX_SAFE_INTEGER}], got -1`,
    )
    expect(message({ ...ddm, warningDetected: 'no' })).toBe(
      `detector state field 'warningDetected' must be true or false, got "no"`,
    )
    const rows = adwinState.rows.map((r) => ({ ...r, totals: [...r.totals] }))
    ;(rows[1]!.totals as unknown[])[0] = true
    expect(message({ ...adwinState, rows })).toBe(
      `detector state field 'rows[1].totals[0]' must be a number, got true`,
    )
    expect(message({ ...adwinState, rows: [{ totals: [1, 2], variances: [0] }] })).toBe(
      `detector state field 'rows[0].variances' must be an array of 2 numbers, got [0]`,
    )
    expect(message({ ...adwinState, options: { ...adwinState.options, delta: 5 } })).toBe(
      `ADWIN option 'delta' must be > 0, < 1; got 5`,
    )
    expect(message({ ...kswin, rng: { ...kswin.rng, mt: [1, 2, 3] } })).toBe(
      `detector state field 'rng.mt' must be an array of 624 numbers, got 3`,
    )
    expect(message({ ...kswin, rng: { ...kswin.rng, index: 625 } })).toBe(
      `detector state field 'rng.index' must be an integer in [0, 624], got 625`,
    )
    expect(message({ ...kswin, window: new Array(101).fill(0) })).toMatch(
      /^detector state field 'window' must be an array of at most 100 numbers/,
    )
    expect(
      message({ ...kswin, options: { ...kswin.options, mode: 'up' }, name: 'page-hinkley' }),
    ).toMatch(/^detector state field 'options.minInstances' must be a number, got nothing$/)
  })
})

describe('createDetector', () => {
  it("makes each detector by name with River's defaults or the options given", () => {
    expect(createDetector('adwin')).toBeInstanceOf(Adwin)
    expect(createDetector('ddm').toState().options).toEqual({
      warmStart: 30,
      warningThreshold: 2,
      driftThreshold: 3,
    })
    expect(createDetector('eddm', { alpha: 0.8, beta: 0.7 }).toState().options).toEqual({
      warmStart: 30,
      alpha: 0.8,
      beta: 0.7,
    })
    expect(createDetector('page-hinkley', { mode: 'up' })).toBeInstanceOf(PageHinkley)
    expect(createDetector('kswin', { seed: 3 }).toState().options).toEqual({
      alpha: 0.005,
      windowSize: 100,
      statSize: 30,
      seed: 3,
    })
    expect(createDetector('kswin').toState().options.seed).toBeNull()
  })

  it('rejects an unknown name', () => {
    expect(() => createDetector('cusum' as 'adwin')).toThrow(
      'detector name must be one of adwin, ddm, eddm, page-hinkley, kswin, got "cusum"',
    )
  })
})
