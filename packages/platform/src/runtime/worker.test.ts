import { AppError, InvalidParameterError } from '@ballast/contracts'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { createLogger } from '../observability/logger.js'
import { JobQueue } from '../storage/jobs/index.js'
import { openTestSqliteStore, type TestStore } from '../storage/test-support/test-stores.js'
import type { JobHandlers } from './job-handlers.js'
import type { Services } from './services.js'
import { Worker } from './worker.js'

const silent = createLogger({ level: 'silent' })
const LEASE = 300

let testStore: TestStore
let queue: JobQueue
let services: Services
beforeEach(async () => {
  testStore = await openTestSqliteStore()
  queue = new JobQueue(testStore.store)
  // The handlers under test only reach the queue.
  services = { store: testStore.store, jobs: queue } as unknown as Services
})
afterEach(async () => {
  await testStore.dispose()
})

function worker(handlers: JobHandlers, options: { id?: string; stopTimeoutMs?: number } = {}) {
  return new Worker({
    queue,
    services,
    handlers,
    logger: silent,
    pollMs: 20,
    leaseMs: LEASE,
    ...options,
  })
}

const enqueue = (kind: string, payload: unknown = {}) =>
  queue.enqueue({ kind, payload, createdBy: 'alice' })

const waitFor = async (check: () => Promise<boolean>) => {
  for (let i = 0; i < 200; i++) {
    if (await check()) return
    await new Promise((resolve) => setTimeout(resolve, 10))
  }
  throw new Error('condition not reached in 2 s')
}

describe('Worker', () => {
  it('runs a handler with the payload, storing progress, logs and the result', async () => {
    const job = await enqueue('echo', { rows: 3 })
    const w = worker({
      echo: async (ctx) => {
        ctx.log('starting')
        for (let i = 1; i <= 3; i++) ctx.progress(i, 3, `row ${i}`)
        ctx.log('almost there', 'warn')
        return { seen: ctx.payload, kind: ctx.job.kind, sameQueue: ctx.services.jobs === queue }
      },
    })
    const done = await w.runOnce()
    expect(done).toMatchObject({
      id: job.id,
      status: 'succeeded',
      attempts: 1,
      result: { seen: { rows: 3 }, kind: 'echo', sameQueue: true },
      // Throttled, but the last progress is always written.
      progress: { done: 3, total: 3, message: 'row 3' },
      error: null,
    })
    expect((await queue.logs(job.id, 0, 10)).map((l) => [l.level, l.message])).toEqual([
      ['info', 'starting'],
      ['warn', 'almost there'],
    ])
    expect(await w.runOnce()).toBeUndefined()
  })

  it('claims only the kinds it has handlers for', async () => {
    const other = await enqueue('score')
    const w = worker({ echo: async () => 1 })
    expect(w.kinds).toEqual(['echo'])
    expect(await w.runOnce()).toBeUndefined()
    expect((await queue.get(other.id))?.status).toBe('queued')
    expect(() => worker({ echo: async () => 1 }).kinds).not.toThrow()
    expect(
      () => new Worker({ queue, services, handlers: {}, logger: silent, kinds: ['train'] }),
    ).toThrow('invalid kinds: no handler for train (known: none)')
  })

  it('fails at once on an AppError below 500, keeping its code', async () => {
    const job = await enqueue('bad')
    let calls = 0
    const w = worker({
      bad: async () => {
        calls++
        throw new InvalidParameterError("invalid target: no column 'y' in flights@1")
      },
    })
    expect(await w.runOnce()).toMatchObject({
      status: 'failed',
      attempts: 1,
      error: {
        code: 'INVALID_PARAMETER_VALUE',
        message: "invalid target: no column 'y' in flights@1",
      },
    })
    expect(calls).toBe(1)
    expect((await queue.logs(job.id, 0, 10)).at(-1)).toMatchObject({
      level: 'error',
      message: "INVALID_PARAMETER_VALUE: invalid target: no column 'y' in flights@1",
    })
  })

  it('retries a 5xx error or a plain exception until max_attempts', async () => {
    const job = await enqueue('flaky')
    let calls = 0
    const w = worker({
      flaky: async () => {
        calls++
        if (calls === 1) throw new AppError('TEMPORARILY_UNAVAILABLE', 'store busy')
        if (calls === 2) throw new Error('socket hang up')
        return 'ok'
      },
    })
    expect(await w.runOnce()).toMatchObject({
      status: 'queued',
      attempts: 1,
      error: { code: 'TEMPORARILY_UNAVAILABLE', message: 'store busy' },
    })
    expect(await w.runOnce()).toMatchObject({
      status: 'queued',
      attempts: 2,
      error: { code: 'INTERNAL_ERROR', message: 'socket hang up' },
    })
    expect(await w.runOnce()).toMatchObject({ id: job.id, status: 'succeeded', attempts: 3 })

    const doomed = await enqueue('doomed')
    const d = worker({
      doomed: async () => {
        throw new Error('always')
      },
    })
    for (let i = 0; i < 3; i++) await d.runOnce()
    expect(await queue.get(doomed.id)).toMatchObject({
      status: 'failed',
      attempts: 3,
      error: { code: 'INTERNAL_ERROR', message: 'always' },
    })
    expect(await d.runOnce()).toBeUndefined()
  })

  it('aborts the signal when a cancel is requested; the job ends cancelled', async () => {
    const job = await enqueue('long')
    let reason: unknown
    const w = worker({
      long: (ctx) =>
        new Promise((_resolve, reject) => {
          ctx.signal.addEventListener('abort', () => {
            reason = ctx.signal.reason
            reject(new Error('aborted'))
          })
        }),
    })
    const running = w.runOnce()
    await waitFor(async () => (await queue.get(job.id))?.status === 'running')
    await queue.requestCancel(job.id)
    expect(await running).toMatchObject({ status: 'cancelled', cancelRequested: true })
    expect(reason).toBe('cancel')
  })

  it('keeps the lease of a job running longer than the lease', async () => {
    const job = await enqueue('slow')
    const w = worker({
      slow: async () => {
        await new Promise((resolve) => setTimeout(resolve, LEASE * 3))
        return 'done'
      },
    })
    const running = w.runOnce()
    await new Promise((resolve) => setTimeout(resolve, LEASE * 2))
    expect(await queue.claim('thief', ['slow'], LEASE)).toBeUndefined()
    expect(await running).toMatchObject({ id: job.id, status: 'succeeded', attempts: 1 })
  })

  it('stop() re-queues the running job without counting the attempt', async () => {
    const job = await enqueue('long')
    let reason: unknown
    const w = worker({
      long: (ctx) =>
        new Promise((_resolve, reject) => {
          ctx.signal.addEventListener('abort', () => {
            reason = ctx.signal.reason
            reject(new Error('aborted'))
          })
        }),
    })
    await w.start()
    expect((await queue.liveWorkers('long', 10_000)).map((x) => x.id)).toEqual([w.id])
    await waitFor(async () => (await queue.get(job.id))?.status === 'running')
    await w.stop()
    expect(reason).toBe('shutdown')
    expect(await queue.get(job.id)).toMatchObject({ status: 'queued', attempts: 0 })
    expect(await queue.liveWorkers('long', 10_000)).toEqual([])
  })

  it('stop() re-queues a job whose handler ignores the signal, after the timeout', async () => {
    const job = await enqueue('stubborn')
    const w = worker({ stubborn: () => new Promise(() => {}) }, { stopTimeoutMs: 50 })
    await w.start()
    await waitFor(async () => (await queue.get(job.id))?.status === 'running')
    await w.stop()
    expect(await queue.get(job.id)).toMatchObject({ status: 'queued', attempts: 0 })
  })

  it('a started worker runs queued jobs as they come', async () => {
    const w = worker({ echo: async (ctx) => ctx.payload })
    await w.start()
    try {
      const a = await enqueue('echo', 'a')
      const b = await enqueue('echo', 'b')
      await waitFor(async () => (await queue.get(b.id))?.status === 'succeeded')
      expect((await queue.get(a.id))?.result).toBe('a')
    } finally {
      await w.stop()
    }
  })

  it('runUntilDone runs that job only and returns it finished', async () => {
    const other = await enqueue('echo', 'other')
    const mine = await enqueue('echo', 'mine')
    const w = worker({ echo: async (ctx) => ctx.payload })
    expect(await w.runUntilDone(mine.id)).toMatchObject({ status: 'succeeded', result: 'mine' })
    expect((await queue.get(other.id))?.status).toBe('queued')
    await expect(w.runUntilDone('nope')).rejects.toMatchObject({
      code: 'RESOURCE_DOES_NOT_EXIST',
    })
  })

  it('writes progress at most 4 times a second', async () => {
    const job = await enqueue('busy')
    const written: number[] = []
    const progress = queue.progress.bind(queue)
    queue.progress = async (id, p, worker) => {
      written.push(p.done)
      await progress(id, p, worker)
    }
    const w = worker({
      busy: async (ctx) => {
        const start = Date.now()
        let i = 0
        while (Date.now() - start < 600) {
          ctx.progress(++i, 0)
          await new Promise((resolve) => setTimeout(resolve, 5))
        }
        return i
      },
    })
    const done = await w.runOnce()
    // 600 ms at ≤ 4 writes/s: the first at once, then one per 250 ms, then the last.
    expect(written.length).toBeGreaterThanOrEqual(3)
    expect(written.length).toBeLessThanOrEqual(4)
    expect(written.at(-1)).toBe(done?.result)
    expect((await queue.get(job.id))?.progress.done).toBe(done?.result)
  })
})

it('a job claimed while the worker stops goes back to the queue unrun', async () => {
  const job = await enqueue('echo')
  let ran = false
  const w = worker({
    echo: async () => {
      ran = true
    },
  })
  // stop() lands between the claim and the run.
  const claim = queue.claim.bind(queue)
  queue.claim = async (...args) => {
    const claimed = await claim(...args)
    await w.stop()
    return claimed
  }
  expect(await w.runOnce()).toMatchObject({ id: job.id, status: 'queued', attempts: 0 })
  expect(ran).toBe(false)
})
