import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { createRolloutStore } from '../../serving/index.js'
import { ROLLOUT_ACTOR, createDeployStep } from './deploy-step.js'
import { type RolloutFixture, openRolloutFixture } from './test-support/rollout-fixture.js'

const step = createDeployStep({ pollMs: 100 })

const CANARY = {
  percent: 30,
  watch: { predictions: 120, timeout: '1m' },
  min_labelled: 30,
  min_accuracy_delta: -0.1,
  // Latency on a shared test machine is noise; the latency rule is tested in canary-verdict.test.ts.
  max_latency_p99_ratio: 1000,
}

let f: RolloutFixture
beforeEach(async () => {
  f = await openRolloutFixture()
}, 120_000)
afterEach(async () => f.dispose())

async function aliasOf(name: string): Promise<string> {
  return (await f.services.registry.aliases.get('loans', name)).version
}

describe('the deploy step with a canary', () => {
  it('promotes a healthy canary, moves the alias, and records both', async () => {
    const ctx = await f.context()
    const inputs = { deployment: 'loans', model: 'loans/2', canary: CANARY, alias: 'champion' }
    const out = await f.driveWhile(step.run(ctx, inputs))

    expect(out).toMatchObject({
      action: 'promoted',
      deployment: 'loans',
      version: 2,
      from_version: 1,
      canary_error_rate: 0,
      primary_error_rate: 0,
      primary_requests: expect.any(Number),
    })
    expect(out.canary_predictions).toBeGreaterThanOrEqual(120)
    expect(out.canary_labelled).toBeGreaterThanOrEqual(30)
    expect(String(out.reasons)).toContain('error rate 0 is within max_error_rate 0.01')
    expect(String(out.reasons)).toMatch(/accuracy 0\.\d+ on \d+ labelled predictions/)

    const d = await f.services.serving.deployments.get('loans')
    expect([d.version, d.previousVersion, d.canary]).toEqual([2, 1, null])
    expect(await aliasOf('champion')).toBe('2')
    const events = await f.services.serving.deployments.events('loans', { limit: 2 })
    expect(events.map((e) => [e.action, e.actor])).toEqual([
      ['promote', ROLLOUT_ACTOR],
      ['canary', ROLLOUT_ACTOR],
    ])
    const [rollout] = await createRolloutStore(f.services.store).list({ deployment: 'loans' })
    expect(rollout).toMatchObject({
      id: out.rollout,
      status: 'promoted',
      version: 2,
      fromVersion: 1,
      percent: 30,
      alias: 'champion',
      aliasVersion: 1,
      pipelineRun: 'prun-1',
    })
    expect(rollout!.figures.canary_error_rate).toBe(0)
    const run = await f.services.tracking.runs.get(ctx.trackingRunId)
    const tags = Object.fromEntries(run.data.tags?.map((t) => [t.key, t.value]) ?? [])
    expect(tags['ballast.rollout.action']).toBe('promoted')
    const metrics = Object.fromEntries(run.data.metrics?.map((m) => [m.key, m.value]) ?? [])
    expect(metrics['rollout.canary_error_rate']).toBe(0)
  }, 120_000)

  it('rolls back a canary whose answers fail, saying why', async () => {
    f.failing.add(2)
    const ctx = await f.context()
    const inputs = {
      deployment: 'loans',
      model: 'loans/2',
      canary: { ...CANARY, watch: { predictions: 30, timeout: '1m' } },
      alias: 'champion',
    }
    const out = await f.driveWhile(step.run(ctx, inputs))
    const errors = Number(out.canary_errors)
    expect(errors).toBeGreaterThanOrEqual(30)
    expect(out).toMatchObject({
      action: 'rolled_back',
      version: 2,
      canary_error_rate: 1,
      canary_predictions: 0,
      primary_error_rate: 0,
      reasons: `error rate 1 (${errors} of ${errors} requests) is above max_error_rate 0.01`,
    })
    const d = await f.services.serving.deployments.get('loans')
    expect([d.version, d.canary]).toEqual([1, null])
    expect((await f.services.serving.deployments.events('loans', { limit: 1 }))[0]).toMatchObject({
      action: 'canary-off',
      actor: ROLLOUT_ACTOR,
    })
    expect(await aliasOf('champion')).toBe('1')
    const [rollout] = await createRolloutStore(f.services.store).list()
    expect(rollout?.status).toBe('rolled_back')
  }, 120_000)

  it('fails with a conflict naming both versions when the alias moved during the watch', async () => {
    const v1 = await f.services.registry.versions.get('loans', '1')
    const v3 = await f.services.registry.versions.create(
      { name: 'loans', source: v1.source, runId: v1.run_id },
      'bob',
    )
    const ctx = await f.context()
    const run = step.run(ctx, {
      deployment: 'loans',
      model: 'loans/2',
      canary: CANARY,
      alias: 'champion',
    })
    await f.drive(5)
    await f.services.registry.aliases.set(
      { name: 'loans', alias: 'champion', version: v3.version },
      'bob',
    )
    await expect(f.driveWhile(run)).rejects.toMatchObject({
      code: 'CONFLICT',
      message:
        "Alias 'champion' of model 'loans' points at version 3, not version 1 as when the " +
        'rollout started; it was not moved to version 2',
    })
    expect(await aliasOf('champion')).toBe('3')
    const [rollout] = await createRolloutStore(f.services.store).list()
    expect(rollout?.status).toBe('failed')
    // A retry repeats the failure rather than moving the alias over the other loop's choice.
    await expect(
      step.run(ctx, { deployment: 'loans', model: 'loans/2', alias: 'champion' }),
    ).rejects.toMatchObject({ code: 'CONFLICT' })
    expect(await aliasOf('champion')).toBe('3')
  }, 120_000)

  it('resumes an interrupted watch from the rollouts table, and rolls back without traffic', async () => {
    const inputs = {
      deployment: 'loans',
      model: 'loans/2',
      canary: { ...CANARY, watch: { predictions: 100, timeout: '2s' } },
    }
    const crash = new AbortController()
    const first = step.run(await f.context({ signal: crash.signal }), inputs)
    await new Promise((resolve) => setTimeout(resolve, 500))
    crash.abort()
    await expect(first).rejects.toThrow()
    const store = createRolloutStore(f.services.store)
    const [watching] = await store.list()
    expect(watching?.status).toBe('watching')
    expect((await f.services.serving.deployments.get('loans')).canary).toEqual({
      version: 2,
      percent: 30,
    })

    const ctx = await f.context()
    const out = await step.run(ctx, inputs)
    expect(ctx.logs[0]).toContain(`resuming the watch of rollout ${watching!.id}`)
    expect(out).toMatchObject({
      action: 'rolled_back',
      rollout: watching!.id,
      reasons: 'not enough traffic: the canary answered 0 predictions within the timeout of 2 s',
    })
    const rows = await store.list()
    expect(rows.map((r) => [r.id, r.status])).toEqual([[watching!.id, 'rolled_back']])
    expect(Number(out.watched_ms)).toBeGreaterThanOrEqual(2_000)
    expect((await f.services.serving.deployments.get('loans')).canary).toBeNull()
  }, 120_000)
})

describe('the deploy step without a canary', () => {
  it('makes the version the primary, or creates the deployment', async () => {
    const ctx = await f.context()
    const out = await step.run(ctx, { deployment: 'loans', model: 'loans/2', alias: 'champion' })
    expect(out).toMatchObject({
      action: 'deployed',
      version: 2,
      from_version: 1,
      reasons: 'loans/2 replaced version 1 as the primary',
    })
    expect((await f.services.serving.deployments.get('loans')).version).toBe(2)
    expect(await aliasOf('champion')).toBe('2')

    const created = await step.run(await f.context({ step: 'deploy-new' }), {
      deployment: 'loans-eu',
      model: 'loans@champion',
      canary: CANARY,
    })
    expect(created).toMatchObject({
      action: 'deployed',
      version: 2,
      from_version: null,
      reasons: "created deployment 'loans-eu' serving loans/2",
    })
    const d = await f.services.serving.deployments.get('loans-eu')
    expect([d.version, d.target, d.createdBy]).toEqual([
      2,
      { kind: 'version', version: 2 },
      ROLLOUT_ACTOR,
    ])
  }, 120_000)

  it('checks its inputs, naming the field', () => {
    expect(() =>
      step.validate({ deployment: 'loans', model: 'loans' }, 'steps.deploy.with'),
    ).toThrow("Invalid value for parameter 'steps.deploy.with.model'")
    expect(() =>
      step.validate(
        { deployment: 'loans', model: 'loans/2', canary: { percent: 100 } },
        'steps.deploy.with',
      ),
    ).toThrow(
      "Invalid value for parameter 'steps.deploy.with.canary.percent': 100; expected 0 < percent < 100",
    )
    expect(() =>
      step.validate(
        {
          deployment: 'loans',
          model: 'loans/2',
          canary: { percent: 10, watch: { duration: 'soon' } },
        },
        'steps.deploy.with',
      ),
    ).toThrow('\'steps.deploy.with.canary.watch.duration\': "soon"; expected a duration')
    // References are checked when they are resolved.
    expect(() =>
      step.validate({ deployment: 'loans', model: '${{ steps.register.outputs.model }}' }, 'w'),
    ).not.toThrow()
  })
})
