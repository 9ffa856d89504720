import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import type { MetadataStore } from '../../metadata-store.js'
import type { TestStore } from '../../test-support/test-stores.js'
import { JobQueue } from '../job-queue.js'

const LEASE = 30_000

/** One suite of queue semantics, run on every metadata store backend. */
export function runJobQueueContract(options: { name: string; open(): Promise<TestStore> }): void {
  describe(`JobQueue on ${options.name}`, () => {
    let testStore: TestStore
    let store: MetadataStore
    let clock: number
    let queue: JobQueue
    beforeEach(async () => {
      testStore = await options.open()
      store = testStore.store
      clock = 1_000_000
      queue = new JobQueue(store, { now: () => clock })
    })
    afterEach(async () => {
      await testStore.dispose()
    })

    const enqueue = async (kind = 'train', maxAttempts?: number) => {
      const job = await queue.enqueue({
        kind,
        payload: { dataset: 'flights@1', depth: 6 },
        createdBy: 'alice',
        ...(maxAttempts === undefined ? {} : { maxAttempts }),
      })
      clock += 1
      return job
    }

    it('enqueues a queued job with a 32-hex id and reads it back', async () => {
      const job = await enqueue()
      expect(job.id).toMatch(/^[0-9a-f]{32}$/)
      expect(await queue.get(job.id)).toEqual({
        id: job.id,
        kind: 'train',
        status: 'queued',
        attempts: 0,
        maxAttempts: 3,
        createdBy: 'alice',
        createdAt: 1_000_000,
        startedAt: null,
        finishedAt: null,
        progress: { done: 0, total: 0, message: null },
        result: null,
        error: null,
        cancelRequested: false,
      })
      expect(await queue.payload(job.id)).toEqual({ dataset: 'flights@1', depth: 6 })
      expect(await queue.get('f'.repeat(32))).toBeUndefined()
      await expect(queue.require('nope')).rejects.toMatchObject({
        code: 'RESOURCE_DOES_NOT_EXIST',
        message: "no job with id 'nope'",
      })
    })

    it('claims the oldest queued job of the kinds asked, once', async () => {
      const first = await enqueue('train')
      await enqueue('score')
      const third = await enqueue('train')
      const claimed = await queue.claim('w1', ['train'], LEASE)
      expect(claimed).toMatchObject({ id: first.id, status: 'running', attempts: 1 })
      expect(claimed?.startedAt).toBe(clock)
      expect((await queue.claim('w2', ['train'], LEASE))?.id).toBe(third.id)
      expect(await queue.claim('w3', ['train'], LEASE)).toBeUndefined()
      expect(await queue.claim('w3', [], LEASE)).toBeUndefined()
    })

    it('never gives one job to two workers claiming at the same time', async () => {
      const ids = new Set<string>()
      for (let i = 0; i < 20; i++) ids.add((await enqueue()).id)
      const claims = await Promise.all(
        Array.from({ length: 40 }, (_, i) => queue.claim(`w${i % 2}`, ['train'], LEASE)),
      )
      const got = claims.filter((j) => j !== undefined).map((j) => j.id)
      expect(got.length).toBe(20)
      expect(new Set(got)).toEqual(ids)
    })

    it('claims a running job again when its lease expired, counting the attempt', async () => {
      const job = await enqueue('train', 2)
      await queue.claim('crashed', ['train'], LEASE)
      expect(await queue.claim('w2', ['train'], LEASE)).toBeUndefined()
      clock += LEASE + 1
      const again = await queue.claim('w2', ['train'], LEASE)
      expect(again).toMatchObject({ id: job.id, status: 'running', attempts: 2 })
      // The crashed worker is stale: whatever it reports is ignored.
      expect(await queue.complete(job.id, 'crashed', { ok: 'stale' })).toBe(false)
      expect(await queue.heartbeat(job.id, 'crashed', LEASE)).toEqual({
        cancelRequested: false,
        leaseLost: true,
      })
      await queue.progress(job.id, { done: 9, total: 9 }, 'crashed')
      await queue.appendLog(job.id, 'info', 'from the stale worker', 'crashed')
      expect((await queue.get(job.id))?.progress).toEqual({ done: 0, total: 0, message: null })
      expect(await queue.logs(job.id, 0, 10)).toEqual([])
      expect(await queue.complete(job.id, 'w2', { auc: 0.91 })).toBe(true)
      expect(await queue.get(job.id)).toMatchObject({
        status: 'succeeded',
        result: { auc: 0.91 },
        finishedAt: clock,
      })
    })

    it('fails a job whose lease expired with no attempts left', async () => {
      const job = await enqueue('train', 1)
      await queue.claim('crashed', ['train'], LEASE)
      clock += LEASE + 1
      expect(await queue.claim('w2', ['train'], LEASE)).toBeUndefined()
      expect(await queue.get(job.id)).toMatchObject({
        status: 'failed',
        attempts: 1,
        error: {
          code: 'INTERNAL_ERROR',
          message: 'the worker running the job stopped responding and no attempts are left',
        },
      })
    })

    it('a heartbeat keeps the lease', async () => {
      const job = await enqueue()
      await queue.claim('w1', ['train'], LEASE)
      clock += LEASE - 1
      expect(await queue.heartbeat(job.id, 'w1', LEASE)).toEqual({
        cancelRequested: false,
        leaseLost: false,
      })
      clock += LEASE - 1
      expect(await queue.claim('w2', ['train'], LEASE)).toBeUndefined()
    })

    it('retries a failure until max_attempts, keeping the last error', async () => {
      const job = await enqueue('train', 2)
      const boom = { code: 'INTERNAL_ERROR', message: 'disk full' }
      await queue.claim('w1', ['train'], LEASE)
      expect(await queue.fail(job.id, 'w1', boom, { retry: true })).toBe(true)
      expect(await queue.get(job.id)).toMatchObject({ status: 'queued', attempts: 1, error: boom })
      await queue.claim('w1', ['train'], LEASE)
      await queue.fail(job.id, 'w1', boom, { retry: true })
      expect(await queue.get(job.id)).toMatchObject({ status: 'failed', attempts: 2, error: boom })
    })

    it('fails at once without retry', async () => {
      const job = await enqueue()
      await queue.claim('w1', ['train'], LEASE)
      const bad = { code: 'INVALID_PARAMETER_VALUE', message: "no column 'y'" }
      await queue.fail(job.id, 'w1', bad)
      expect(await queue.get(job.id)).toMatchObject({ status: 'failed', attempts: 1, error: bad })
      expect(await queue.fail(job.id, 'w1', bad)).toBe(false)
    })

    it('cancels a queued job at once, and a running one through its worker', async () => {
      const queued = await enqueue()
      const running = await enqueue()
      await queue.claim('w1', ['train'], LEASE, { jobId: running.id })
      expect(await queue.requestCancel(queued.id)).toMatchObject({
        status: 'cancelled',
        finishedAt: clock,
      })
      expect(await queue.claim('w2', ['train'], LEASE)).toBeUndefined()
      expect(await queue.requestCancel(running.id)).toMatchObject({
        status: 'running',
        cancelRequested: true,
      })
      expect(await queue.heartbeat(running.id, 'w1', LEASE)).toEqual({
        cancelRequested: true,
        leaseLost: false,
      })
      expect(await queue.markCancelled(running.id, 'w1')).toBe(true)
      expect((await queue.get(running.id))?.status).toBe('cancelled')
      // Cancelling twice is harmless; a finished job cannot be cancelled.
      expect((await queue.requestCancel(queued.id)).status).toBe('cancelled')
      const done = await enqueue()
      await queue.claim('w1', ['train'], LEASE)
      await queue.complete(done.id, 'w1', null)
      await expect(queue.requestCancel(done.id)).rejects.toMatchObject({
        code: 'INVALID_STATE',
        message: `job ${done.id} has succeeded already`,
      })
      await expect(queue.requestCancel('missing')).rejects.toMatchObject({
        code: 'RESOURCE_DOES_NOT_EXIST',
      })
    })

    it('a cancel-requested job whose worker died ends cancelled, not re-run', async () => {
      const job = await enqueue()
      await queue.claim('crashed', ['train'], LEASE)
      await queue.requestCancel(job.id)
      clock += LEASE + 1
      expect(await queue.claim('w2', ['train'], LEASE)).toBeUndefined()
      expect((await queue.get(job.id))?.status).toBe('cancelled')
    })

    it('release re-queues without counting the attempt', async () => {
      const job = await enqueue()
      await queue.claim('w1', ['train'], LEASE)
      expect(await queue.release(job.id, 'w1')).toBe(true)
      expect(await queue.get(job.id)).toMatchObject({
        status: 'queued',
        attempts: 0,
        startedAt: null,
      })
    })

    it('records progress and numbered log lines, read after a sequence number', async () => {
      const job = await enqueue()
      await queue.claim('w1', ['train'], LEASE)
      await queue.progress(job.id, { done: 3, total: 10, message: 'boosting' }, 'w1')
      await queue.appendLog(job.id, 'info', 'loaded 1000 rows', 'w1')
      clock += 5
      await queue.appendLog(job.id, 'warn', 'column x is constant', 'w1')
      expect((await queue.get(job.id))?.progress).toEqual({
        done: 3,
        total: 10,
        message: 'boosting',
      })
      expect(await queue.logs(job.id, 0, 100)).toEqual([
        { seq: 1, time: clock - 5, level: 'info', message: 'loaded 1000 rows' },
        { seq: 2, time: clock, level: 'warn', message: 'column x is constant' },
      ])
      expect((await queue.logs(job.id, 1, 100)).map((l) => l.seq)).toEqual([2])
      expect(await queue.logs(job.id, 0, 1)).toHaveLength(1)
    })

    it('lists newest first, by status and kind', async () => {
      const a = await enqueue('train')
      const b = await enqueue('score')
      const c = await enqueue('train')
      await queue.claim('w1', ['score'], LEASE)
      expect((await queue.list({ limit: 10 })).map((j) => j.id)).toEqual([c.id, b.id, a.id])
      expect((await queue.list({ limit: 10, kind: 'train' })).map((j) => j.id)).toEqual([
        c.id,
        a.id,
      ])
      expect((await queue.list({ limit: 10, status: 'running' })).map((j) => j.id)).toEqual([b.id])
      expect(await queue.list({ limit: 1 })).toHaveLength(1)
    })

    it('knows the live workers of a kind', async () => {
      await queue.registerWorker({ id: 'w1', hostname: 'h1', pid: 11, kinds: ['train', 'score'] })
      clock += 100
      await queue.registerWorker({ id: 'w2', hostname: 'h2', pid: 22, kinds: ['score'] })
      expect(await queue.liveWorkers('train', 1_000)).toEqual([
        {
          id: 'w1',
          hostname: 'h1',
          pid: 11,
          kinds: ['train', 'score'],
          startedAt: 1_000_000,
          heartbeatAt: 1_000_000,
        },
      ])
      clock += 1_000
      expect((await queue.liveWorkers(undefined, 1_000)).map((w) => w.id)).toEqual(['w2'])
      await queue.workerHeartbeat('w1')
      expect((await queue.liveWorkers('score', 1_000)).map((w) => w.id)).toEqual(['w1', 'w2'])
      await queue.removeWorker('w1')
      expect(await queue.liveWorkers('train', 1_000)).toEqual([])
    })
  })
}
