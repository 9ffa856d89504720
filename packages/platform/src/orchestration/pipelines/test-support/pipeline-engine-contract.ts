import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { type TestData, openTestData } from '../../../data/test-support/open-test-data.js'
import { JobQueue } from '../../../storage/jobs/index.js'
import type { TestStore } from '../../../storage/test-support/test-stores.js'
import { PIPELINE_STEP_JOB } from '../pipeline-coordinator.js'
import { PipelineEngine } from '../pipeline-engine.js'
import { checkPipelineSpec } from '../pipeline-spec.js'

const manual = { kind: 'manual' as const, detail: 'alice', values: {} }
const echo = (text: string) => ({ run: ['echo', text] })

/** The engine's rules, run on each metadata store. */
export function runPipelineEngineContract({
  name,
  open,
}: {
  name: string
  open: () => Promise<TestStore>
}): void {
  let t: TestData
  let engine: PipelineEngine
  let clock: number

  beforeEach(async () => {
    t = await openTestData({ open })
    clock = 1_000_000
    engine = new PipelineEngine({ store: t.store, jobs: t.services.jobs, now: () => clock })
  })

  afterEach(() => t.dispose())

  async function apply(steps: unknown[], params: Record<string, string | number> = {}) {
    const spec = checkPipelineSpec({ name: 'p', params, steps }, 'p')
    return engine.apply(spec, 'alice')
  }

  /** Takes a step's job as a worker would and ends it, without the coordinator hearing of it. */
  async function endJob(jobId: string, result: unknown) {
    const claimed = await t.services.jobs.claim('w1', [PIPELINE_STEP_JOB], 60_000, { jobId })
    expect(claimed?.id).toBe(jobId)
    await t.services.jobs.complete(jobId, 'w1', result)
  }

  async function jobRow(id: string) {
    return t.store.db.selectFrom('jobs').selectAll().where('id', '=', id).executeTakeFirstOrThrow()
  }

  describe(`pipeline engine on ${name}`, () => {
    it('applies a spec once per digest, and audits the change and each run start', async () => {
      const first = await apply([{ name: 'a', kind: 'command', with: echo('1') }])
      const same = await apply([{ name: 'a', kind: 'command', with: echo('1') }])
      expect(same.digest).toBe(first.digest)
      expect(first.spec.limits).toEqual({ debounceMs: 600_000, maxRunsPerDay: 3 })
      const run = await engine.start('p', { trigger: manual, actor: 'bob' })
      const audit = await t.store.db
        .selectFrom('audit_log')
        .select(['actor', 'action', 'target'])
        .orderBy('seq')
        .execute()
      expect(audit).toEqual([
        { actor: 'alice', action: 'pipeline.apply', target: 'pipeline:p' },
        { actor: 'bob', action: 'pipeline.run.start', target: `pipeline-run:${run.id}` },
      ])
    })

    it('enqueues independent first steps at once and waits for dependencies', async () => {
      await apply([
        { name: 'a', kind: 'command', with: echo('a') },
        { name: 'b', kind: 'command', with: echo('b') },
        { name: 'c', kind: 'command', with: echo('${{ steps.a.outputs.x }}'), needs: ['b'] },
      ])
      const run = await engine.start('p', { trigger: manual, actor: 'alice' })
      expect(run.steps.map((s) => [s.step, s.status, s.attempts])).toEqual([
        ['a', 'running', 1],
        ['b', 'running', 1],
        ['c', 'pending', 0],
      ])
      const jobs = await t.services.jobs.list({ kind: PIPELINE_STEP_JOB, limit: 10 })
      expect(jobs.length).toBe(2)
      expect(jobs[0]!.createdBy).toBe('system:pipeline:p')
    })

    it('retries a failed step after 2 s, then 4 s, then fails the run', async () => {
      await apply([
        { name: 'a', kind: 'command', with: echo('a') },
        { name: 'b', kind: 'command', with: echo('b'), needs: ['a'] },
      ])
      const { id } = await engine.start('p', { trigger: manual, actor: 'alice' })
      const job1 = (await engine.run(id)).steps[0]!.jobId!
      await engine.coordinator.failStep(id, 'a', job1, 'boom')
      const after1 = (await engine.run(id)).steps[0]!
      expect(after1).toMatchObject({ status: 'running', attempts: 2, error: 'boom' })
      expect((await jobRow(after1.jobId!)).run_after).toBe(clock + 2_000)

      clock += 5_000
      await engine.coordinator.failStep(id, 'a', after1.jobId!, 'boom again')
      const after2 = (await engine.run(id)).steps[0]!
      expect(after2.attempts).toBe(3)
      expect((await jobRow(after2.jobId!)).run_after).toBe(clock + 4_000)

      // A stale attempt's failure changes nothing.
      await engine.coordinator.failStep(id, 'a', job1, 'late')
      expect((await engine.run(id)).steps[0]!.jobId).toBe(after2.jobId)

      await engine.coordinator.failStep(id, 'a', after2.jobId!, 'no luck')
      const run = await engine.run(id)
      expect(run.status).toBe('failed')
      expect(run.error).toBe("step 'a' failed after 3 attempts: no luck")
      expect(run.steps.map((s) => s.status)).toEqual(['failed', 'skipped'])
    })

    it('holds a retry back in the queue until its backoff has passed', async () => {
      const real = new PipelineEngine({ store: t.store, jobs: t.services.jobs })
      await apply([{ name: 'a', kind: 'command', with: echo('a') }])
      const { id } = await real.start('p', { trigger: manual, actor: 'alice' })
      const job1 = (await real.run(id)).steps[0]!.jobId!
      await endJob(job1, null)
      await real.coordinator.failStep(id, 'a', job1, 'boom')
      const retry = (await real.run(id)).steps[0]!.jobId!
      expect(await t.services.jobs.claim('w', [PIPELINE_STEP_JOB], 1000)).toBeUndefined()
      const later = new JobQueue(t.store, { now: () => Date.now() + 2_100 })
      expect((await later.claim('w', [PIPELINE_STEP_JOB], 1000))?.id).toBe(retry)
    })

    it('resumes a run whose step ended while its coordinator was down', async () => {
      await apply([
        { name: 'a', kind: 'command', with: echo('a') },
        { name: 'b', kind: 'command', with: echo('${{ steps.a.outputs.exit_code }}') },
        { name: 'c', kind: 'command', with: echo('${{ steps.b.outputs.exit_code }}') },
      ])
      const { id } = await engine.start('p', { trigger: manual, actor: 'alice' })
      // Step a: its job recorded the outputs, then the process died before advancing the run.
      const a = (await engine.run(id)).steps[0]!
      const result = {
        status: 'succeeded',
        outputs: { exit_code: 0 },
        cacheKey: null,
        trackingRunId: 'r1',
      }
      await endJob(a.jobId!, result)
      await engine.coordinator.completeStep(id, 'a', a.jobId!, result as never)
      expect((await engine.run(id)).steps.map((s) => s.status)).toEqual([
        'succeeded',
        'pending',
        'pending',
      ])
      expect(await engine.coordinator.resume()).toBe(1)
      const resumed = await engine.run(id)
      expect(resumed.steps.map((s) => s.status)).toEqual(['succeeded', 'running', 'pending'])

      // Step b: its job ended but nothing was recorded at all: the job's result is.
      const b = resumed.steps[1]!
      await endJob(b.jobId!, { ...result, trackingRunId: 'r2' })
      await engine.coordinator.resume()
      const later = await engine.run(id)
      expect(later.steps.map((s) => [s.status, s.trackingRunId])).toEqual([
        ['succeeded', 'r1'],
        ['succeeded', 'r2'],
        ['running', null],
      ])

      // A second check (another server) enqueues nothing twice.
      await engine.coordinator.resume()
      expect((await t.services.jobs.list({ kind: PIPELINE_STEP_JOB, limit: 10 })).length).toBe(3)
    })

    it('skips a step whose condition is false, and its dependents', async () => {
      await apply(
        [
          { name: 'a', kind: 'command', with: echo('a'), if: '${{ params.go }}' },
          { name: 'b', kind: 'command', with: echo('${{ steps.a.outputs.x }}') },
        ],
        { go: 'false' },
      )
      const run = await engine.start('p', { trigger: manual, actor: 'alice' })
      expect(run.status).toBe('succeeded')
      expect(run.steps.map((s) => s.status)).toEqual(['skipped', 'skipped'])
      await expect(
        engine.start('p', { trigger: manual, actor: 'alice', params: { nope: 1 } }),
      ).rejects.toThrow("params.nope: pipeline 'p' has no such param (it has: go)")
    })

    it('cancels a run: its step jobs are cancelled and nothing more starts', async () => {
      await apply([
        { name: 'a', kind: 'command', with: echo('a') },
        { name: 'b', kind: 'command', with: echo('b'), needs: ['a'] },
      ])
      const { id } = await engine.start('p', { trigger: manual, actor: 'alice' })
      const run = await engine.cancel(id, 'bob')
      expect(run.status).toBe('cancelled')
      expect(run.error).toBe('cancelled by bob')
      expect(run.steps.map((s) => [s.status, s.error])).toEqual([
        ['failed', 'cancelled by bob'],
        ['skipped', null],
      ])
      expect((await t.services.jobs.get(run.steps[0]!.jobId!))?.status).toBe('cancelled')
      expect((await engine.cancel(id, 'bob')).status).toBe('cancelled')
      const actions = await t.store.db.selectFrom('audit_log').select('action').execute()
      expect(actions.map((a) => a.action)).toContain('pipeline.run.cancel')
      await expect(engine.run('missing')).rejects.toThrow("pipeline run 'missing' does not exist")
    })
  })
}
