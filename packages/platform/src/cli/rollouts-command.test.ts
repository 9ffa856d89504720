import type { ListRolloutsResponse } from '@ballast/contracts'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { type Rollout, createRolloutStore } from '../serving/index.js'
import { cliSandbox } from './test-support/run-cli.js'

const T0 = Date.UTC(2026, 10, 28, 9, 0, 0)

describe('ballast rollouts', () => {
  const sandbox = cliSandbox()
  let promoted: Rollout
  let rolledBack: Rollout
  beforeAll(async () => {
    ;[promoted, rolledBack] = await sandbox.seed(async (_ballast, runtime) => {
      const store = createRolloutStore(runtime.store)
      const base = {
        model: 'loans',
        fromVersion: 1,
        percent: 10,
        alias: 'champion',
        aliasVersion: 1,
        pipelineRun: 'run-1',
        step: 'deploy',
        createdBy: 'system:pipeline:retrain',
      }
      const a = await store.start({ ...base, deployment: 'loans', version: 2, startedAt: T0 })
      const p = await store.finish(a.id, {
        status: 'promoted',
        figures: { canary_error_rate: 0.002, canary_p99_ms: 1.23456 },
        reasons: ['error rate 0.002 is within max_error_rate 0.01'],
        time: T0 + 600_000,
      })
      const b = await store.start({ ...base, deployment: 'fraud', version: 3, startedAt: T0 + 1 })
      const r = await store.finish(b.id, {
        status: 'rolled_back',
        figures: { canary_error_rate: 0.5 },
        reasons: ['error rate 0.5 (5 of 10 requests) is above max_error_rate 0.01'],
        time: T0 + 700_000,
      })
      return [p, r]
    })
  })
  afterAll(() => sandbox.dispose())

  it('list prints rollouts newest first with their figures and reasons', async () => {
    const out = await sandbox.run(['rollouts', 'list'])
    expect(out.code).toBe(0)
    const lines = out.stdout.trimEnd().split('\n')
    expect(lines[0]).toMatch(
      /^ID\s+DEPLOYMENT\s+MODEL\s+FROM\s+CANARY\s+STATUS\s+ERRORS\s+P99 MS\s+STARTED\s+REASONS$/,
    )
    expect(lines.slice(1).map((l) => l.split(/\s+/).slice(0, 8))).toEqual([
      [rolledBack.id, 'fraud', 'loans/3', '1', '10%', 'rolled_back', '0.5', '-'],
      [promoted.id, 'loans', 'loans/2', '1', '10%', 'promoted', '0.002', '1.2346'],
    ])
    expect(lines[1]).toContain('error rate 0.5 (5 of 10 requests) is above max_error_rate 0.01')
  })

  it('--deployment filters, --json prints the API response', async () => {
    const got = await sandbox.json<ListRolloutsResponse>([
      'rollouts',
      'list',
      '--deployment',
      'loans',
      '--json',
    ])
    expect(got.rollouts).toEqual([
      {
        id: promoted.id,
        deployment: 'loans',
        model: 'loans',
        version: 2,
        from_version: 1,
        percent: 10,
        status: 'promoted',
        alias: 'champion',
        alias_version: 1,
        started_at: T0,
        finished_at: T0 + 600_000,
        figures: { canary_error_rate: 0.002, canary_p99_ms: 1.23456 },
        reasons: ['error rate 0.002 is within max_error_rate 0.01'],
        pipeline_run: 'run-1',
        step: 'deploy',
        created_by: 'system:pipeline:retrain',
      },
    ])
  })
})
