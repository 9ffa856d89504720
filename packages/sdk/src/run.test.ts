import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest'
import { Ballast } from './ballast.js'
import type { Run } from './run.js'
import {
  type RecordedCall,
  type Responder,
  fakeFetch,
  jsonResponse,
} from './test-support/fake-fetch.js'
import type { LogBatchRequest } from './wire-types.js'

const RUN_INFO = {
  run_id: 'r1',
  experiment_id: '3',
  status: 'RUNNING',
  artifact_uri: 'mlflow-artifacts:/3/r1/artifacts',
}

/** Answers runs/create; everything else goes to `rest` (200 {} by default). */
function server(rest: Responder = () => jsonResponse(200, {})) {
  return fakeFetch((call) =>
    call.path.endsWith('/runs/create')
      ? jsonResponse(200, { run: { info: RUN_INFO, data: {} } })
      : rest(call),
  )
}

const batches = (calls: RecordedCall[]) =>
  calls
    .filter((c) => c.path === '/api/2.0/mlflow/runs/log-batch')
    .map((c) => c.json as LogBatchRequest)

async function start(fetch: ReturnType<typeof server>['fetch'], options = {}): Promise<Run> {
  const ballast = new Ballast({
    url: 'http://ballast.test',
    fetch,
    retryBaseDelayMs: 1,
    retryMaxDelayMs: 2,
    ...options,
  })
  return ballast.startRun({ experiment: { id: '3' }, name: 'trial' })
}

describe('Run', () => {
  beforeEach(() => {
    vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout', 'Date'] })
    vi.setSystemTime(new Date('2026-01-02T03:04:05.000Z'))
  })
  afterEach(() => {
    vi.useRealTimers()
  })

  it('sends a batch as soon as 1000 metrics are buffered, and the rest on flush', async () => {
    const fake = server()
    const run = await start(fake.fetch)
    for (let i = 0; i < 2500; i++) run.logMetric('loss', i / 10, i)
    // Two full batches went out synchronously with the 1000th and 2000th value.
    await vi.advanceTimersByTimeAsync(0)
    expect(batches(fake.calls).map((b) => b.metrics.length)).toEqual([1000, 1000])
    await run.flush()
    const sent = batches(fake.calls)
    expect(sent.map((b) => b.metrics.length)).toEqual([1000, 1000, 500])
    expect(sent.flatMap((b) => b.metrics.map((m) => m.step))).toEqual(
      Array.from({ length: 2500 }, (_, i) => i),
    )
    expect(sent[0]!.run_id).toBe('r1')
    expect(sent[0]!.metrics[1]).toEqual({
      key: 'loss',
      value: 0.1,
      step: 1,
      timestamp: Date.parse('2026-01-02T03:04:05.000Z'),
    })
  })

  it('respects a smaller maxBatchSize', async () => {
    const fake = server()
    const run = await start(fake.fetch, { maxBatchSize: 2 })
    run.logMetrics({ a: 1, b: 2, c: 3 }, 5)
    await run.flush()
    expect(batches(fake.calls).map((b) => b.metrics.map((m) => m.key))).toEqual([['a', 'b'], ['c']])
  })

  it('sends buffered values after flushIntervalMs, with the timestamp of when they were logged', async () => {
    const fake = server()
    const run = await start(fake.fetch, { flushIntervalMs: 1000 })
    run.logMetric('acc', 0.5)
    const loggedAt = Date.now()
    await vi.advanceTimersByTimeAsync(999)
    expect(batches(fake.calls)).toHaveLength(0)
    await vi.advanceTimersByTimeAsync(1)
    expect(batches(fake.calls)).toEqual([
      {
        run_id: 'r1',
        metrics: [{ key: 'acc', value: 0.5, step: 0, timestamp: loggedAt }],
        params: [],
        tags: [],
      },
    ])
  })

  it('resends the identical points after a 503, so the server can drop the duplicate', async () => {
    let failures = 1
    const fake = server(() =>
      failures-- > 0
        ? jsonResponse(503, { error_code: 'TEMPORARILY_UNAVAILABLE', message: 'restarting' })
        : jsonResponse(200, {}),
    )
    const run = await start(fake.fetch)
    run.logMetric('loss', 1.5, 1)
    vi.advanceTimersByTime(10) // the values are logged at different times than they are resent
    run.logMetric('loss', 1.25, 2)
    const flushing = run.flush()
    await vi.advanceTimersByTimeAsync(50)
    await flushing
    const attempts = fake.calls.filter((c) => c.path.endsWith('/runs/log-batch'))
    expect(attempts).toHaveLength(2)
    expect(attempts[1]!.text).toBe(attempts[0]!.text)
    expect(batches(fake.calls)[1]!.metrics.map((m) => m.timestamp)).toEqual([
      Date.parse('2026-01-02T03:04:05.000Z'),
      Date.parse('2026-01-02T03:04:05.010Z'),
    ])
  })

  it('puts values logged during a flush in the next batch, and sends batches one at a time', async () => {
    let release: () => void = () => {}
    let inFlight = 0
    let maxInFlight = 0
    const fake = server(async () => {
      inFlight++
      maxInFlight = Math.max(maxInFlight, inFlight)
      await new Promise<void>((resolve) => (release = resolve))
      inFlight--
      return jsonResponse(200, {})
    })
    const run = await start(fake.fetch)
    run.logMetric('m', 1)
    const first = run.flush()
    await vi.advanceTimersByTimeAsync(0)
    run.logMetric('m', 2)
    const second = run.flush()
    await vi.advanceTimersByTimeAsync(0)
    expect(batches(fake.calls)).toHaveLength(1)
    release()
    await first
    await vi.advanceTimersByTimeAsync(0)
    release()
    await second
    expect(batches(fake.calls).map((b) => b.metrics.map((m) => m.value))).toEqual([[1], [2]])
    expect(maxInFlight).toBe(1)
  })

  it('does not retry a 400; the next flush rejects with the typed error, and no rejection goes unhandled', async () => {
    const unhandled: unknown[] = []
    const onUnhandled = (reason: unknown) => unhandled.push(reason)
    process.on('unhandledRejection', onUnhandled)
    try {
      const fake = server(() =>
        jsonResponse(400, {
          error_code: 'INVALID_PARAMETER_VALUE',
          message: "Invalid metric key 'b@d'",
        }),
      )
      const run = await start(fake.fetch, { flushIntervalMs: 100 })
      run.logMetric('b@d', 1)
      await vi.advanceTimersByTimeAsync(100) // the timer's flush fails with nobody awaiting it
      vi.useRealTimers()
      await new Promise((resolve) => setImmediate(resolve))
      expect(unhandled).toEqual([])
      expect(batches(fake.calls)).toHaveLength(1)
      await expect(run.flush()).rejects.toMatchObject({
        code: 'INVALID_PARAMETER_VALUE',
        status: 400,
        message: "Invalid metric key 'b@d'",
      })
      // Reported once: the following flush has nothing left to report.
      await expect(run.flush()).resolves.toBeUndefined()
    } finally {
      process.off('unhandledRejection', onUnhandled)
    }
  })

  it('batches params and tags, refuses to change a param, and encodes NaN as MLflow does', async () => {
    const fake = server()
    const run = await start(fake.fetch)
    run.logParams({ lr: 0.1, layers: 3, shuffle: true })
    run.logParam('lr', 0.1) // the same value again is allowed and not resent
    expect(() => run.logParam('lr', 0.2)).toThrow(
      "param 'lr' was already logged as '0.1' on run r1; params cannot change (got '0.2')",
    )
    run.setTags({ stage: 'dev' })
    run.setTag('stage', 'prod')
    run.logMetric('loss', Number.NaN)
    await run.flush()
    const [batch] = batches(fake.calls)
    expect(batch).toMatchObject({
      params: [
        { key: 'lr', value: '0.1' },
        { key: 'layers', value: '3' },
        { key: 'shuffle', value: 'true' },
      ],
      tags: [{ key: 'stage', value: 'prod' }],
      metrics: [{ key: 'loss', value: 'NaN', step: 0 }],
    })
  })

  it('splits more than 100 params across batches', async () => {
    const fake = server()
    const run = await start(fake.fetch)
    for (let i = 0; i < 150; i++) run.logParam(`p${i}`, i)
    await run.flush()
    expect(batches(fake.calls).map((b) => b.params.length)).toEqual([100, 50])
  })

  it('end() flushes, then marks the run finished with an end time, and refuses further values', async () => {
    const fake = server()
    const run = await start(fake.fetch)
    run.logMetric('loss', 0.3)
    vi.advanceTimersByTime(5)
    await Promise.all([run.end(), run.end()])
    expect(fake.calls.map((c) => c.path.split('/').slice(-2).join('/'))).toEqual([
      'runs/create',
      'runs/log-batch',
      'runs/update',
    ])
    expect(fake.calls[2]!.json).toEqual({
      run_id: 'r1',
      status: 'FINISHED',
      end_time: Date.parse('2026-01-02T03:04:05.005Z'),
    })
    expect(() => run.logMetric('loss', 0.1)).toThrow('run r1 has ended; it takes no more values')
  })

  it('end() still ends the run when a batch was lost, then rejects with the loss', async () => {
    const fake = server((call) =>
      call.path.endsWith('/log-batch')
        ? jsonResponse(404, {
            error_code: 'RESOURCE_DOES_NOT_EXIST',
            message: "Run 'r1' not found",
          })
        : jsonResponse(200, {}),
    )
    const run = await start(fake.fetch)
    run.logMetric('loss', 0.3)
    await expect(run.end('FAILED')).rejects.toMatchObject({ code: 'RESOURCE_DOES_NOT_EXIST' })
    expect(fake.calls.at(-1)!.json).toMatchObject({ run_id: 'r1', status: 'FAILED' })
  })

  it('refuses a non-integer step and a non-number value synchronously', async () => {
    const run = await start(server().fetch)
    expect(() => run.logMetric('loss', 1, 1.5)).toThrow(
      "invalid step 1.5 for metric 'loss': expected an integer",
    )
    expect(() => run.logMetric('loss', '1' as unknown as number)).toThrow(
      "invalid value for metric 'loss': expected a number, got string",
    )
    expect(() => run.logMetric('', 1)).toThrow('invalid metric key "": expected a non-empty string')
  })
})
