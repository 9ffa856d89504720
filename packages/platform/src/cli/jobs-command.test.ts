import type { JobRecord } from '@ballast/contracts'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { cliSandbox } from './test-support/run-cli.js'

describe('ballast jobs', () => {
  const sandbox = cliSandbox()
  let queued: JobRecord
  let running: JobRecord
  let failed: JobRecord
  beforeAll(async () => {
    ;[queued, running, failed] = await sandbox.seed(async (_ballast, runtime) => {
      const jobs = runtime.services.jobs
      const q = await jobs.enqueue({ kind: 'train', payload: {}, createdBy: 'alice' })
      await new Promise((resolve) => setTimeout(resolve, 2))
      const r = await jobs.enqueue({ kind: 'score', payload: {}, createdBy: 'bob' })
      await jobs.claim('w1', ['score'], 3_600_000)
      await jobs.progress(r.id, { done: 5, total: 20, message: 'scoring' })
      await jobs.appendLog(r.id, 'info', 'loaded model churn@3')
      await jobs.appendLog(r.id, 'warn', 'column age has 3 nulls')
      await new Promise((resolve) => setTimeout(resolve, 2))
      const f = await jobs.enqueue({ kind: 'train', payload: {}, createdBy: 'carol' })
      await jobs.claim('w2', ['train'], 3_600_000, { jobId: f.id })
      await jobs.fail(f.id, 'w2', { code: 'INVALID_PARAMETER_VALUE', message: "no column 'y'" })
      return [q, (await jobs.get(r.id))!, (await jobs.get(f.id))!]
    })
  })
  afterAll(() => sandbox.dispose())

  it('list prints a table newest first, filtered by status', async () => {
    const all = await sandbox.run(['jobs', 'list'])
    expect(all.code).toBe(0)
    const lines = all.stdout.trimEnd().split('\n')
    expect(lines[0]).toMatch(/^ID\s+KIND\s+STATUS\s+PROGRESS\s+ATTEMPTS\s+CREATED\s+BY\s+DURATION$/)
    expect(lines.slice(1).map((l) => l.split(/\s+/).slice(0, 5))).toEqual([
      [failed.id, 'train', 'failed', '-', '1/3'],
      [running.id, 'score', 'running', '5/20', 'scoring'],
      [queued.id, 'train', 'queued', '-', '0/3'],
    ])
    const onlyQueued = await sandbox.json<{ jobs: JobRecord[] }>([
      'jobs',
      'list',
      '--status',
      'queued',
    ])
    expect(onlyQueued).toEqual({ jobs: [queued] })
    const bad = await sandbox.run(['jobs', 'list', '--status', 'asleep'])
    expect(bad.code).toBe(2)
    expect(bad.stderr).toContain(
      "argument 'asleep' is invalid. expected one of queued, running, succeeded, failed, cancelled",
    )
  })

  it('show prints one job, with its error', async () => {
    const result = await sandbox.run(['jobs', 'show', failed.id])
    expect(result.code).toBe(0)
    expect(result.stdout).toContain(`id:          ${failed.id}\n`)
    expect(result.stdout).toContain('status:      failed\n')
    expect(result.stdout).toContain('attempts:    1 of 3\n')
    expect(result.stdout).toContain("error:       INVALID_PARAMETER_VALUE: no column 'y'\n")
    expect(await sandbox.json(['jobs', 'show', running.id])).toEqual({ job: running })
    const missing = await sandbox.run(['jobs', 'show', 'nope'])
    expect(missing.code).toBe(3)
    expect(missing.stderr).toBe("error: no job with id 'nope'\n")
  })

  it('logs prints the log lines; --json gives them as data', async () => {
    const result = await sandbox.run(['jobs', 'logs', running.id])
    expect(result.code).toBe(0)
    expect(result.stdout).toMatch(
      /^\S+Z info {2}loaded model churn@3\n\S+Z warn {2}column age has 3 nulls\n$/,
    )
    const json = await sandbox.json<{ logs: Array<{ seq: number; message: string }> }>([
      'jobs',
      'logs',
      running.id,
    ])
    expect(json.logs.map((l) => [l.seq, l.message])).toEqual([
      [1, 'loaded model churn@3'],
      [2, 'column age has 3 nulls'],
    ])
  })

  it('logs --follow ends with the job, with its code when it failed', async () => {
    const result = await sandbox.run(['jobs', 'logs', failed.id, '--follow'])
    expect(result.code).toBe(2)
    expect(result.stdout).toBe('')
    expect(result.stderr).toBe("error: no column 'y'\n")
  })

  it('logs --follow prints the lines so far and, interrupted, how to follow again', async () => {
    const controller = new AbortController()
    const result = await sandbox.run(['jobs', 'logs', running.id, '--follow'], {
      signal: controller.signal,
      onStdout: (text) => {
        if (text.includes('column age')) controller.abort()
      },
    })
    expect(result.code).toBe(0)
    const lines = result.stdout.split('\n')
    expect(lines[0]).toMatch(/Z info {2}loaded model churn@3$/)
    expect(lines[1]).toMatch(/Z warn {2}column age has 3 nulls$/)
    expect(result.stdout).toContain(
      `stopped waiting; job ${running.id} is running and goes on. Follow it with: ballast jobs logs ${running.id} --follow\n`,
    )
  })

  it('cancel cancels a queued job at once and asks a running one to stop', async () => {
    const q = await sandbox.run(['jobs', 'cancel', queued.id])
    expect(q.code).toBe(0)
    expect(q.stdout).toBe(`cancelled job ${queued.id}\n`)
    const r = await sandbox.run(['jobs', 'cancel', running.id])
    expect(r.stdout).toBe(`cancel requested for job ${running.id}: its worker stops it shortly\n`)
    const done = await sandbox.run(['jobs', 'cancel', failed.id])
    expect(done.code).toBe(1)
    expect(done.stderr).toBe(`error: job ${failed.id} has failed already\n`)
  })
})
