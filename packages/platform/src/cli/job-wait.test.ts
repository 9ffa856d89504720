import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import path from 'node:path'
import { InvalidParameterError } from '@ballast/contracts'
import { Ballast } from '@ballast/sdk'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { loadConfig } from '../config/index.js'
import { createRuntimeApp } from '../http/runtime-app.js'
import { createLogger } from '../observability/logger.js'
import type { JobHandlers } from '../runtime/job-handlers.js'
import { openRuntime, type Runtime } from '../runtime/open-runtime.js'
import type { CliClient } from './client.js'
import type { CliIo } from './global-options.js'
import { ensureWorkerFor, waitForJob } from './job-wait.js'

let dir: string
let runtime: Runtime
let stderr: string
let io: CliIo
beforeEach(async () => {
  dir = mkdtempSync(path.join(tmpdir(), 'ballast-job-wait-'))
  runtime = await openRuntime(
    loadConfig({ flags: { home: dir, 'worker.pollMs': 20 }, env: {}, cwd: dir }),
    { logger: createLogger({ level: 'silent' }) },
  )
  stderr = ''
  io = {
    stdout: { write: () => true },
    stderr: { write: (text: string) => (stderr += text) },
    env: {},
    cwd: dir,
  }
})
afterEach(async () => {
  await runtime.close()
  rmSync(dir, { recursive: true, force: true })
})

function localClient(handlers: JobHandlers): CliClient {
  const app = createRuntimeApp(runtime, { authEnabled: false })
  return {
    ballast: new Ballast({ url: 'http://test.local', fetch: (i, init) => app.request(i, init) }),
    mode: 'local',
    runtime,
    handlers: () => handlers,
    close: async () => {},
  }
}

const enqueue = (kind: string, payload: unknown = {}) =>
  runtime.services.jobs.enqueue({ kind, payload, createdBy: 'alice' })

describe('waitForJob', () => {
  it('runs the job in process when no worker serves the kind, printing its log lines', async () => {
    const client = localClient({
      echo: async (ctx) => {
        ctx.log('reading flights@1')
        ctx.progress(1, 1, 'done')
        return { echoed: ctx.payload }
      },
    })
    const job = await enqueue('echo', 'hello')
    const stop = await ensureWorkerFor(client, 'echo')
    let finished
    try {
      finished = await waitForJob(client, job.id, io, { label: 'echo', pollMs: 20 })
    } finally {
      await stop()
    }
    expect(finished).toMatchObject({ id: job.id, status: 'succeeded', result: { echoed: 'hello' } })
    expect(stderr).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ info {2}reading flights@1\n/)
    expect(await runtime.services.jobs.liveWorkers('echo', 60_000)).toEqual([])
  })

  it('starts no worker when one is live, or through a server', async () => {
    const client = localClient({ echo: async () => 1 })
    await runtime.services.jobs.registerWorker({
      id: 'srv',
      hostname: 'h',
      pid: 1,
      kinds: ['echo'],
    })
    await ensureWorkerFor(client, 'echo')
    expect((await runtime.services.jobs.liveWorkers('echo', 60_000)).map((w) => w.id)).toEqual([
      'srv',
    ])
    const remote: CliClient = { ...client, mode: 'remote' }
    await ensureWorkerFor(remote, 'other')
    expect(await runtime.services.jobs.liveWorkers('other', 60_000)).toEqual([])
  })

  it("throws the failed job's code and message", async () => {
    const client = localClient({
      bad: async () => {
        throw new InvalidParameterError("invalid target: no column 'delay' in flights@1")
      },
    })
    const job = await enqueue('bad')
    const stop = await ensureWorkerFor(client, 'bad')
    try {
      await expect(waitForJob(client, job.id, io, { pollMs: 20 })).rejects.toMatchObject({
        code: 'INVALID_PARAMETER_VALUE',
        message: "invalid target: no column 'delay' in flights@1",
        exitCode: 2,
      })
    } finally {
      await stop()
    }
  })

  it('an interrupt stops waiting, not the job, and says how to follow it', async () => {
    const client = localClient({})
    const job = await enqueue('nobody-runs-this')
    const controller = new AbortController()
    setTimeout(() => controller.abort(), 60)
    const current = await waitForJob(
      client,
      job.id,
      { ...io, signal: controller.signal },
      { pollMs: 20 },
    )
    expect(current.status).toBe('queued')
    expect(stderr).toBe(
      `stopped waiting; job ${job.id} is queued and goes on. Follow it with: ballast jobs logs ${job.id} --follow\n`,
    )
    expect((await runtime.services.jobs.get(job.id))?.status).toBe('queued')
  })

  it('without a terminal, prints progress as an occasional line', async () => {
    const client = localClient({})
    const job = await enqueue('train')
    await runtime.services.jobs.claim('w1', ['train'], 60_000)
    await runtime.services.jobs.progress(job.id, { done: 30, total: 120, message: 'boosting' })
    const controller = new AbortController()
    setTimeout(() => controller.abort(), 100)
    await waitForJob(
      client,
      job.id,
      { ...io, signal: controller.signal },
      {
        label: 'training',
        pollMs: 20,
      },
    )
    expect(stderr.split('\n')[0]).toBe('training: 30/120 (25%) boosting')
  })

  it('reports a cancelled job and returns it', async () => {
    const client = localClient({})
    const job = await enqueue('train')
    await runtime.services.jobs.requestCancel(job.id)
    expect((await waitForJob(client, job.id, io)).status).toBe('cancelled')
    expect(stderr).toBe(`job ${job.id} was cancelled\n`)
  })
})
